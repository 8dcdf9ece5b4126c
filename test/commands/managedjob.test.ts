import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'

import {SEED} from '../../src/simulator/index.js'
import {selftestLine} from '../../src/simulator/scripts.js'
import {backplane, RUN, runProgram, userHome, type UserHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'
import {expectOneErrorLine} from '../support/expect.js'

const PENDING_MS = 300
const RUNNING_MS = 1200

function managedjobSuite(title: string, body: (ctx: {home(): UserHome; sim: ReturnType<typeof useSimulator>}) => void): void {
  describe(title, function () {
    this.timeout(90_000)
    const s = useSimulator()
    let u: UserHome
    before(async () => {
      s.sim.scripts.configure({pendingMs: PENDING_MS, runningMs: RUNNING_MS})
      u = userHome(s.sim)
      const r = await backplane(['login', SEED.demo.name], u.env)
      expect(r.code, r.stderr).to.equal(0)
    })
    body({home: () => u, sim: s})
  })
}

async function create(u: UserHome, args: string[]): Promise<string> {
  const r = await backplane(['managedjob', 'create', ...args, '--json'], u.env)
  expect(r.code, r.stderr).to.equal(0)
  return JSON.parse(r.stdout).jobId
}

/** A job that runs for `runningMs` (the simulator's timing at creation), created through the API as the CLI does. */
async function longJob(s: ReturnType<typeof useSimulator>, u: UserHome, args: string[], runningMs: number): Promise<string> {
  s.sim.scripts.configure({runningMs})
  try {
    return await create(u, args)
  } finally {
    s.sim.scripts.configure({runningMs: RUNNING_MS})
  }
}

function selftestLog(lines: number, from = 0): string {
  return Array.from({length: lines}, (_, i) => `${selftestLine(from + i)}\n`).join('')
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

managedjobSuite('managedjob create', ({home, sim: s}) => {
  it('posts {canonicalName, parameters}, prints the server message and the JobId', async () => {
    const r = await backplane(['managedjob', 'create', 'sre/restart-pods', '-p', 'NAMESPACE=demo-app', '-p', ' LABEL_SELECTOR = app=web '], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    const [message, id] = r.stdout.trimEnd().split('\n')
    expect(message).to.equal('Job for sre/restart-pods created successfully')
    expect(id).to.match(/^JobId: job-[0-9a-f]{10}$/)
    const post = s.sim.requests.filter((q) => q.method === 'POST' && q.path === `/backplane/script/${SEED.demo.id}/job`).at(-1)!
    expect(JSON.parse(post.body)).to.deep.equal({canonicalName: 'sre/restart-pods', parameters: {LABEL_SELECTOR: 'app=web', NAMESPACE: 'demo-app'}})
    expect(s.sim.scripts.jobs.at(-1)?.jobId).to.equal(id.slice('JobId: '.length))
  })

  it('parameters {} for a script without any; a repeated key: the last wins; -c picks the cluster', async () => {
    expect(await create(home(), ['sre/cluster-health', '-c', SEED.prodEast2.name])).to.match(/^job-/)
    const post = s.sim.requests.filter((q) => q.method === 'POST').at(-1)!
    expect(post.path).to.equal(`/backplane/script/${SEED.prodEast2.id}/job`)
    expect(JSON.parse(post.body)).to.deep.equal({canonicalName: 'sre/cluster-health', parameters: {}})
    await create(home(), ['sre/restart-pods', '-p', 'NAMESPACE=a', '-p', 'NAMESPACE=b'])
    expect(JSON.parse(s.sim.requests.filter((q) => q.method === 'POST').at(-1)!.body).parameters).to.deep.equal({NAMESPACE: 'b'})
  })

  it('--json prints the created job', async () => {
    const r = await backplane(['managedjob', 'create', 'sre/selftest', '-p', 'LINES=2', '--json'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    const job = JSON.parse(r.stdout)
    expect(job.jobId).to.match(/^job-/)
    expect(job.message).to.equal('Job for sre/selftest created successfully')
    expect(job.jobStatus).to.include({namespace: 'openshift-backplane-managed-scripts', status: 'Pending'})
    expect(job.jobStatus.envs).to.deep.equal([{key: 'LINES', value: '2'}])
  })

  it('prints a Backplane-Warning header as a warning on stderr', async () => {
    const r = await backplane(['managedjob', 'create', 'sre/collect-namespace-logs', '-p', 'NAMESPACE=demo-app'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('Warning: script sre/collect-namespace-logs can read customer data: this run is audited\n')
    expect(r.stdout).to.match(/JobId: job-/)
  })

  it('--wait polls until Succeeded, plain status lines off a TTY', async () => {
    const r = await backplane(['managedjob', 'create', 'sre/cluster-health', '--wait', '--interval', '0.2'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    const id = /JobId: (\S+)/.exec(r.stdout)![1]
    expect(r.stderr.trimEnd().split('\n')).to.deep.equal([`job ${id}: Pending`, `job ${id}: Running`, `job ${id}: Succeeded`])
    const polls = s.sim.requests.filter((q) => q.method === 'GET' && q.path === `/backplane/script/${SEED.demo.id}/job/${id}`)
    expect(polls.length).to.be.within(3, 15)
  })

  it('--wait on a job that fails exits 1 with its status', async () => {
    const r = await backplane(['managedjob', 'create', 'sre/selftest', '-p', 'FAIL=true', '--wait', '--interval', '0.2'], home().env)
    const id = /JobId: (\S+)/.exec(r.stdout)![1]
    expectOneErrorLine(r, 1, new RegExp(`^Error: job ${id} Failed — see its logs with 'backplane managedjob logs ${id}'$`), {progressOnStderr: true, stdoutAllowed: true})
    expect(r.stderr).to.include(`job ${id}: Failed\n`)
  })

  it('--wait --timeout: exit 1 with the last status', async () => {
    s.sim.scripts.configure({runningMs: 30_000})
    try {
      const r = await backplane(['managedjob', 'create', 'sre/cluster-health', '--wait', '--interval', '0.2', '--timeout', '1'], home().env)
      const id = /JobId: (\S+)/.exec(r.stdout)![1]
      expectOneErrorLine(r, 1, new RegExp(`^Error: job ${id} is still Running after 1s — check on it with 'backplane managedjob get ${id}'`), {progressOnStderr: true, stdoutAllowed: true})
    } finally {
      s.sim.scripts.configure({runningMs: RUNNING_MS})
    }
  })

  it('--wait --json prints the final job', async () => {
    const r = await backplane(['managedjob', 'create', 'sre/selftest', '--wait', '--interval', '0.2', '--json'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    const job = JSON.parse(r.stdout)
    expect(job.jobStatus.status).to.equal('Succeeded')
    expect(job.jobStatus.end).to.be.a('string')
  })

  it('--logs streams the logs once the job runs; with --wait a failure still exits 1 after them', async () => {
    const r = await backplane(['managedjob', 'create', 'sre/restart-pods', '-p', 'NAMESPACE=demo-app', '--logs', '--interval', '0.2'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.slice(2)).to.deep.equal([
      '+ oc get pods -n demo-app',
      'pod "web-7d9f8c6b5-2xkqz" deleted',
      'pod "web-7d9f8c6b5-9mvtn" deleted',
      'pod "worker-5c4b7f9d8-lq2rw" deleted',
      'restarted 3 pods in demo-app',
    ])
    const failed = await backplane(['managedjob', 'create', 'sre/selftest', '-p', 'LINES=3', '-p', 'FAIL=true', '--logs', '--wait', '--interval', '0.2'], home().env)
    expect(failed.stdout.split('\n').slice(2).join('\n')).to.equal(`${selftestLog(3)}selftest: failing as asked (FAIL=true)\n`)
    expectOneErrorLine(failed, 1, /Failed — see its logs/, {progressOnStderr: true, stdoutAllowed: true})
  })

  it('a spinner on a TTY', async () => {
    const r = await runProgram('script', ['-qec', `stty cols 100; '${process.execPath}' '${RUN}' managedjob create sre/cluster-health --wait --interval 0.2`, '/dev/null'], home().env)
    expect(r.code, r.stdout).to.equal(0)
    const id = /JobId: (\S+)/.exec(r.stdout)![1]
    expect(r.stdout).to.match(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏](\u001B\[\d+m)? job job-\w+: (Pending|Running)/)
    expect(r.stdout).to.include(`job ${id}: Succeeded`)
  })
})

managedjobSuite('managedjob create: bad input', ({home, sim: s}) => {
  const posts = () => s.sim.requests.filter((q) => q.method === 'POST' && q.path.includes('/job')).length

  it('missing, extra or unexpected parameters and -p without = fail before any POST', async () => {
    const before = posts()
    const cases: Array<[string[], RegExp]> = [
      [['sre/restart-pods'], /^Error: script sre\/restart-pods needs parameter NAMESPACE — pass -p NAMESPACE=<value>/],
      [['sre/restart-pods', '-p', 'NAMESPACE='], /needs parameter NAMESPACE/],
      [['sre/restart-pods', '-p', 'NAMESPACE=a', '-p', 'NAMESPCE=b'], /^Error: script sre\/restart-pods has no parameter NAMESPCE — it accepts NAMESPACE, LABEL_SELECTOR, DRY_RUN$/],
      [['sre/cluster-health', '-p', 'X=1'], /^Error: script sre\/cluster-health takes no parameters, but got X — run it without -p$/],
      [['sre/restart-pods', '-p', 'NAMESPACE'], /^Error: invalid parameter "NAMESPACE": expected KEY=VALUE — pass each parameter as -p KEY=VALUE$/],
      [['sre/restart-pods', '-p', '=demo'], /invalid parameter "=demo": the key is empty/],
      [['two words'], /invalid script name "two words"/],
    ]
    for (const [args, pattern] of cases) {
      const r = await backplane(['managedjob', 'create', ...args], home().env)
      expectOneErrorLine(r, 2, pattern, {progressOnStderr: true, stdoutAllowed: true})
      expect(r.stdout).to.equal('')
    }

    expect(posts()).to.equal(before)
  })

  it('an unknown script, or one the user may not run, fails before any POST', async () => {
    const before = posts()
    expectOneErrorLine(await backplane(['managedjob', 'create', 'sre/nope'], home().env), 1, /^Error: no script "sre\/nope" on cluster .* — list them with 'backplane script list'$/, {progressOnStderr: true, stdoutAllowed: true})
    expectOneErrorLine(await backplane(['managedjob', 'create', 'sre-admin/drain-node', '-p', 'NODE=n1'], home().env), 1, /no script "sre-admin\/drain-node"/, {progressOnStderr: true, stdoutAllowed: true})
    expect(posts()).to.equal(before)
  })

  it('a hibernating cluster is refused before backplane is called', async () => {
    const before = s.sim.requests.length
    const r = await backplane(['managedjob', 'create', 'sre/cluster-health', '-c', SEED.sleepy.name], home().env)
    expectOneErrorLine(r, 1, /^Error: cluster sleepy-cluster is hibernating — resume it before running a script on it$/, {progressOnStderr: true, stdoutAllowed: true})
    expect(s.sim.requests.slice(before).some((q) => q.path.startsWith('/backplane/'))).to.equal(false)
    // From the kubeconfig context too: OCM says it hibernates.
    s.sim.clusters.find((c) => c.id === SEED.demo.id)!.status.state = 'hibernating'
    try {
      expectOneErrorLine(await backplane(['managedjob', 'create', 'sre/cluster-health'], home().env), 1, /cluster demo-cluster is hibernating/, {progressOnStderr: true, stdoutAllowed: true})
    } finally {
      s.sim.clusters.find((c) => c.id === SEED.demo.id)!.status.state = 'ready'
    }
  })

  it('the POST failing: JSON, HTML and empty bodies', async () => {
    const cases: Array<[number, string, string, RegExp]> = [
      [400, '{"statusCode":400,"message":"missing required parameter NAMESPACE"}', 'application/json', /backplane answered 400 Bad Request: missing required parameter NAMESPACE — check the arguments; --verbose shows the request$/],
      [403, '{"statusCode":403,"message":"user not in allowed groups"}', 'application/json', /answered 403 Forbidden: user not in allowed groups/],
      [500, '<html><h1>Internal Server Error</h1></html>', 'text/html', /answered 500 Internal Server Error \("Internal Server Error"\) — backplane is failing/],
      [503, '', 'text/plain', /answered 503 Service Unavailable with an empty body/],
      [200, '{"message":"ok"}', 'application/json', /answered the new job with an unexpected body \(no jobId\)/],
    ]
    for (const [status, body, contentType, pattern] of cases) {
      s.sim.setFault('POST /backplane/script/', {body, contentType, status})
      try {
        const r = await backplane(['managedjob', 'create', 'sre/cluster-health'], home().env)
        expectOneErrorLine(r, 1, pattern, {progressOnStderr: true, stdoutAllowed: true})
        expect(r.stdout).to.equal('')
      } finally {
        s.sim.setFault('POST /backplane/script/', undefined)
      }
    }
  })

  it('--logs with --json, a bad --timeout, and no cluster', async () => {
    const json = await backplane(['managedjob', 'create', 'sre/cluster-health', '--logs', '--json'], home().env)
    expect(json.code).to.equal(2)
    expect(JSON.parse(json.stdout).error).to.include({code: 'USAGE', message: '--logs and --json cannot be combined'})
    expectOneErrorLine(await backplane(['managedjob', 'create', 'sre/cluster-health', '--wait', '--timeout', 'soon'], home().env), 2, /^Error: invalid --timeout "soon": expected a positive number of seconds — e\.g\. --timeout 30$/, {progressOnStderr: true, stdoutAllowed: true})
    expectOneErrorLine(await backplane(['managedjob', 'create', 'sre/cluster-health'], userHome(s.sim).env), 1, /^Error: no cluster — log in first or pass --cluster-id$/, {progressOnStderr: true, stdoutAllowed: true})
  })
})

managedjobSuite('managedjob get and list', ({home, sim: s}) => {
  let jobA: string
  let jobB: string
  before(async () => {
    jobA = await create(home(), ['sre/restart-pods', '-p', 'NAMESPACE=demo-app', '-p', 'DRY_RUN=true'])
    jobB = await create(home(), ['sre/cluster-health'])
  })

  it('list: JOBID / STATUS / NAMESPACE / START (ISO off a TTY) / SCRIPT, in Go\'s order', async () => {
    const r = await backplane(['managedjob', 'list'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^JOBID +STATUS +NAMESPACE +START +SCRIPT$/)
    expect(lines[1]).to.match(new RegExp(`^${jobA} +(Pending|Running|Succeeded) +openshift-backplane-managed-scripts +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z +sre/restart-pods$`))
    expect(lines[2]).to.match(new RegExp(`^${jobB} +\\w+ +openshift-backplane-managed-scripts +\\S+ +sre/cluster-health$`))
    expect(lines).to.have.length(3)
  })

  it('get without a job id lists them too; get <id>: one row and its parameters', async () => {
    const all = await backplane(['managedjob', 'get'], home().env)
    expect(all.stdout.trimEnd().split('\n')).to.have.length(3)
    const r = await backplane(['managedjob', 'get', jobA], home().env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^JOBID +STATUS +NAMESPACE +START +SCRIPT$/)
    expect(lines[1]).to.match(new RegExp(`^${jobA} +\\w+ +openshift-backplane-managed-scripts +\\S+ +sre/restart-pods$`))
    expect(lines.slice(2)).to.deep.equal(['', 'Parameters:', '  NAMESPACE=demo-app', '  DRY_RUN=true'])
  })

  it('relative start times on a TTY', async () => {
    const r = await runProgram('script', ['-qec', `'${process.execPath}' '${RUN}' managedjob list`, '/dev/null'], home().env)
    expect(r.code, r.stdout).to.equal(0)
    expect(r.stdout).to.match(new RegExp(`${jobA} +\\w+ +openshift-backplane-managed-scripts +(just now|\\d+s ago|\\d+m ago) +sre/restart-pods`))
  })

  it('--json: the jobs, or the one job, as backplane returned them', async () => {
    const list = JSON.parse((await backplane(['managedjob', 'list', '--json'], home().env)).stdout)
    expect(list.map((j: {jobId: string}) => j.jobId)).to.deep.equal([jobA, jobB])
    const one = JSON.parse((await backplane(['managedjob', 'get', jobB, '--json'], home().env)).stdout)
    expect(one).to.include({jobId: jobB})
    expect(one.jobStatus.script.canonicalName).to.equal('sre/cluster-health')
  })

  it('a cluster without jobs; the ls alias', async () => {
    const r = await backplane(['managedjob', 'ls', '-c', SEED.gcp.name], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.trim()).to.equal(`No managed jobs on this cluster (${SEED.gcp.id}).`)
  })

  it('a job list item missing fields is shown with -, one missing its jobId is an error', async () => {
    s.sim.setFault('GET /backplane/script/', {body: '[{"jobId":"job-partial"},{"jobId":"job-half","jobStatus":{"status":"Running"}}]', status: 200, times: 1})
    const r = await backplane(['managedjob', 'list'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.trimEnd().split('\n').slice(1)).to.deep.equal(['job-partial  Unknown  -          -      -', 'job-half     Running  -          -      -'])
    s.sim.setFault('GET /backplane/script/', {body: '[{"jobId":"job-ok"},{"jobStatus":{"status":"Running"}}]', status: 200, times: 1})
    const bad = await backplane(['managedjob', 'list'], home().env)
    expectOneErrorLine(bad, 1, /^Error: backplane answered the job list \(item 2\) with an unexpected body \(no jobId\) — /, {progressOnStderr: true, stdoutAllowed: true})
    expect(bad.stdout).to.equal('')
  })

  it('an unknown job; API errors with JSON, HTML and empty bodies', async () => {
    expectOneErrorLine(await backplane(['managedjob', 'get', 'job-nope'], home().env), 1, new RegExp(`^Error: no job "job-nope" on cluster ${SEED.demo.id} — list the jobs with 'backplane managedjob list'$`), {progressOnStderr: true, stdoutAllowed: true})
    const cases: Array<[number, string, string, RegExp]> = [
      [500, '{"statusCode":500,"message":"Unable to query for the job"}', 'application/json', /answered 500 Internal Server Error: Unable to query for the job/],
      [502, '<html><body>bad gateway</body></html>', 'text/html', /answered 502 Bad Gateway \("bad gateway"\)/],
      [403, '', 'application/json', /answered 403 Forbidden with an empty body/],
    ]
    for (const [status, body, contentType, pattern] of cases) {
      s.sim.setFault('GET /backplane/script/', {body, contentType, status})
      try {
        for (const args of [['managedjob', 'list'], ['managedjob', 'get', jobA]]) expectOneErrorLine(await backplane(args, {...home().env, BACKPLANE_TIMEOUT: '5'}), 1, pattern, {progressOnStderr: true, stdoutAllowed: true})
      } finally {
        s.sim.setFault('GET /backplane/script/', undefined)
      }
    }
  })
})

managedjobSuite('managedjob logs', ({home, sim: s}) => {
  it('prints the logs of a finished job; --json gives {logs}', async () => {
    const id = await create(home(), ['sre/selftest', '-p', 'LINES=5'])
    await sleep(PENDING_MS + RUNNING_MS + 100)
    const r = await backplane(['managedjob', 'logs', id], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    expect(r.stdout).to.equal(selftestLog(5))
    expect(s.sim.requests.at(-1)?.path).to.equal(`/backplane/script/${SEED.demo.id}/job/${id}/logs?follow=false&version=v2`)
    const json = await backplane(['managedjob', 'logs', id, '--json'], home().env)
    expect(JSON.parse(json.stdout)).to.deep.equal({logs: selftestLog(5)})
    expect(s.sim.requests.at(-1)?.path).to.equal(`/backplane/script/${SEED.demo.id}/job/${id}/logs`)
  })

  it('--verbose traces the log stream like every other request (no token shown)', async () => {
    const id = await create(home(), ['sre/selftest', '-p', 'LINES=3'])
    await sleep(PENDING_MS + RUNNING_MS + 100)
    const r = await backplane(['managedjob', 'logs', id, '--verbose'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(selftestLog(3))
    const path = `/backplane/script/${SEED.demo.id}/job/${id}/logs?follow=false&version=v2`
    expect(r.stderr).to.match(new RegExp(`backplane: GET \\S+${path.replaceAll('?', '\\?')} 200 \\d+ms \\(streaming\\)`))
    expect(r.stderr).to.include(`${path} body ended after`)
  })

  it('-f streams lines as the job prints them and ends when it ends', async () => {
    // The job prints for 6 s: long enough that a CLI slowed by a busy machine still starts while it runs.
    const id = await longJob(s, home(), ['sre/selftest', '-p', 'LINES=40'], 6000)
    const child = spawn(process.execPath, [RUN, 'managedjob', 'logs', id, '-f'], {env: home().env})
    const arrivals: number[] = []
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
      arrivals.push(Date.now())
    })
    child.stderr.on('data', (d) => (err += d))
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code, err).to.equal(0)
    expect(out).to.equal(selftestLog(40))
    // Written as they came, over the job's running time, not all at once at the end.
    expect(arrivals.at(-1)! - arrivals[0]).to.be.greaterThan(1500)
  })

  it('a large log streams completely (64 MiB of 100-byte lines)', async () => {
    const id = await create(home(), ['sre/selftest', '-p', 'SIZE_MB=64'])
    const lines = Math.ceil((64 * 1024 * 1024) / 100)
    const r = await runProgram('bash', ['-c', `'${process.execPath}' '${RUN}' managedjob logs ${id} -f | tee >(tail -1 >&2) | wc -c`], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(Number(r.stdout.trim())).to.equal(lines * 100)
    expect(r.stderr).to.equal(`${selftestLine(lines - 1)}\n`)
  })

  it('stops cleanly when the reader closes the pipe (| head)', async () => {
    const id = await create(home(), ['sre/selftest', '-p', 'SIZE_MB=200'])
    await sleep(PENDING_MS + RUNNING_MS + 100)
    const started = Date.now()
    const r = await runProgram('bash', ['-c', `'${process.execPath}' '${RUN}' managedjob logs ${id} -f | head -3; echo "exit=\${PIPESTATUS[0]}" >&2`], home().env)
    expect(r.stdout).to.equal(selftestLog(3))
    expect(r.stderr).to.equal('exit=0\n')
    expect(Date.now() - started).to.be.below(10_000)
  })

  it('stops cleanly on Ctrl-C (SIGINT): exit 130, no error, no stack', async () => {
    const id = await longJob(s, home(), ['sre/selftest', '-p', 'LINES=1000'], 20_000)
    const child = spawn(process.execPath, [RUN, 'managedjob', 'logs', id, '--follow'], {env: home().env})
    let out = ''
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d
        resolve()
      })
    })
    child.kill('SIGINT')
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, sig) => resolve([c, sig])))
    expect({code, signal}).to.deep.equal({code: 130, signal: null})
    expect(err).to.equal('')
    expect(out.startsWith(selftestLog(1))).to.equal(true)
  })

  it('a connection cut mid-stream is reported, exit 1', async () => {
    const id = await create(home(), ['sre/selftest', '-p', 'LINES=1000'])
    await sleep(PENDING_MS + RUNNING_MS + 100)
    s.sim.scripts.cutLogStreamsAfterBytes = 25_000
    try {
      const r = await backplane(['managedjob', 'logs', id, '-f'], home().env)
      expectOneErrorLine(r, 1, new RegExp(`^Error: the log stream of job ${id} was cut after 24\\.4 KiB \\(\\w+\\) — run 'backplane managedjob logs ${id}' again$`), {progressOnStderr: true, stdoutAllowed: true})
      expect(r.stdout).to.equal(selftestLog(1000).slice(0, 25_000))
    } finally {
      s.sim.scripts.cutLogStreamsAfterBytes = undefined
    }
  })

  it('an unknown job; API errors with JSON, HTML and empty bodies; -f with --json', async () => {
    expectOneErrorLine(await backplane(['managedjob', 'logs', 'job-nope', '-f'], home().env), 1, /^Error: no job "job-nope" on cluster .* — list the jobs with 'backplane managedjob list'$/, {progressOnStderr: true, stdoutAllowed: true})
    const id = await create(home(), ['sre/selftest', '-p', 'LINES=1'])
    const cases: Array<[number, string, string, RegExp]> = [
      [500, '{"statusCode":500,"message":"Unable to fetch the logs"}', 'application/json', /^Error: backplane answered 500 Internal Server Error: Unable to fetch the logs — backplane is failing: retry later$/],
      [502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html', /answered 502 Bad Gateway \("502 Bad Gateway"\)/],
      [400, '', 'text/plain', /answered 400 Bad Request with an empty body — check the arguments; --verbose shows the request$/],
    ]
    for (const [status, body, contentType, pattern] of cases) {
      s.sim.setFault('GET /backplane/script/', {body, contentType, status})
      try {
        const r = await backplane(['managedjob', 'logs', id], home().env)
        expectOneErrorLine(r, 1, pattern, {progressOnStderr: true, stdoutAllowed: true})
        expect(r.stdout).to.equal('')
      } finally {
        s.sim.setFault('GET /backplane/script/', undefined)
      }
    }

    s.sim.setFault('GET /backplane/script/', {destroy: true})
    try {
      expectOneErrorLine(await backplane(['managedjob', 'logs', id], home().env), 1, /cannot reach backplane at https:\/\/127\.0\.0\.1:\d+ \((connection reset|connection closed|\w+)\)/, {progressOnStderr: true, stdoutAllowed: true})
    } finally {
      s.sim.setFault('GET /backplane/script/', undefined)
    }

    const json = await backplane(['managedjob', 'logs', id, '-f', '--json'], home().env)
    expect(json.code).to.equal(2)
    expect(JSON.parse(json.stdout).error).to.include({code: 'USAGE', message: '--follow and --json cannot be combined'})
    expectOneErrorLine(await backplane(['managedjob', 'logs'], home().env), 2, /Missing 1 required arg/, {progressOnStderr: true, stdoutAllowed: true})
  })
})

managedjobSuite('managedjob delete', ({home, sim: s}) => {
  const deletes = () => s.sim.requests.filter((q) => q.method === 'DELETE').length

  it('refuses without --yes when not on a TTY, before any request', async () => {
    const id = await create(home(), ['sre/cluster-health'])
    const before = s.sim.requests.length
    const r = await backplane(['managedjob', 'delete', id], home().env)
    expectOneErrorLine(r, 2, new RegExp(`^Error: refusing to delete job ${id} without confirmation — pass --yes to delete it \\(its logs go too\\)$`), {progressOnStderr: true, stdoutAllowed: true})
    expect(s.sim.requests.length).to.equal(before)
    expect(s.sim.scripts.jobs.some((j) => j.jobId === id)).to.equal(true)
  })

  it('--yes deletes it: DELETE …/job/{id}, "Deleted Job ID: <id>" (as Go), then it is gone', async () => {
    const id = await create(home(), ['sre/cluster-health'])
    const r = await backplane(['managedjob', 'delete', id, '--yes'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(`Deleted Job ID: ${id}\n`)
    expect(s.sim.requests.at(-1)).to.include({method: 'DELETE', path: `/backplane/script/${SEED.demo.id}/job/${id}`})
    expectOneErrorLine(await backplane(['managedjob', 'get', id], home().env), 1, /no job/, {progressOnStderr: true, stdoutAllowed: true})
    const id2 = await create(home(), ['sre/cluster-health'])
    const json = await backplane(['managedjob', 'delete', id2, '-y', '--json'], home().env)
    expect(JSON.parse(json.stdout)).to.deep.equal({clusterId: SEED.demo.id, deleted: true, jobId: id2})
  })

  it('asks on a TTY (on stderr): yes deletes, no keeps it ("Aborted.", exit 0, as Go)', async () => {
    const id = await create(home(), ['sre/cluster-health'])
    const no = await runProgram('script', ['-qec', `'${process.execPath}' '${RUN}' managedjob delete ${id}`, '/dev/null'], home().env, {input: 'n\n'})
    expect(no.code, no.stdout).to.equal(0)
    expect(no.stdout).to.include(`Delete job ${id} (sre/cluster-health,`).and.include('Deleting the job also').and.include('Aborted.')
    expect(s.sim.scripts.jobs.some((j) => j.jobId === id)).to.equal(true)
    const before = deletes()
    const yes = await runProgram('script', ['-qec', `'${process.execPath}' '${RUN}' managedjob delete ${id}`, '/dev/null'], home().env, {input: 'y\n'})
    expect(yes.code, yes.stdout).to.equal(0)
    expect(yes.stdout).to.include(`Deleted Job ID: ${id}`)
    expect(deletes()).to.equal(before + 1)
    expect(s.sim.scripts.jobs.some((j) => j.jobId === id)).to.equal(false)
  })

  it('an unknown job; the DELETE failing; no cluster', async () => {
    expectOneErrorLine(await backplane(['managedjob', 'delete', 'job-nope', '--yes'], home().env), 1, /^Error: no job "job-nope" on cluster /, {progressOnStderr: true, stdoutAllowed: true})
    const id = await create(home(), ['sre/cluster-health'])
    s.sim.setFault('DELETE /backplane/script/', {body: '{"statusCode":502,"message":"Unable to delete the job, cluster error"}', status: 502})
    try {
      expectOneErrorLine(await backplane(['managedjob', 'delete', id, '--yes'], home().env), 1, /answered 502 Bad Gateway: Unable to delete the job, cluster error/, {progressOnStderr: true, stdoutAllowed: true})
    } finally {
      s.sim.setFault('DELETE /backplane/script/', undefined)
    }

    const fresh = userHome(s.sim)
    writeFileSync(fresh.kubeconfig, '')
    expectOneErrorLine(await backplane(['managedjob', 'delete', id, '--yes'], fresh.env), 1, /^Error: no cluster — log in first or pass --cluster-id$/, {progressOnStderr: true, stdoutAllowed: true})
  })
})
