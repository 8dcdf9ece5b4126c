import {expect} from 'chai'
import {execFileSync, spawn} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {faultIndexes, type SimCluster, startSimulator, type Simulator} from '../../src/simulator/index.js'
import {backplane, RUN, runProgram, transcript, userHome, type UserHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'

const FLEET = 30
const TIMEOUT = '3'

/** The user's own kubeconfig, with entries each must never touch. */
const USER_KUBECONFIG = `apiVersion: v1
kind: Config
# my own file: each must never change a byte of it
clusters:
- cluster:
    server: https://api.mine.example.com:6443
  name: mine
contexts:
- context:
    cluster: mine
    user: me
  name: mine
current-context: mine
users:
- name: me
  user:
    token: sha256~not-a-real-token
`

describe('each: one command across many clusters', function () {
  this.timeout(120_000)
  let sim: Simulator
  let fleet: SimCluster[]
  let ok: SimCluster[]
  let failing: SimCluster
  let hibernating: SimCluster
  let forbidden: SimCluster
  let hanging: SimCluster
  const homes: string[] = []

  before(async () => {
    sim = await startSimulator({clusters: FLEET, faults: true, quiet: true})
    fleet = sim.clusters.slice(sim.clusters.length - FLEET)
    const at = faultIndexes(FLEET)!
    failing = fleet[at.error]!
    hibernating = fleet[at.hibernating]!
    forbidden = fleet[at['login-forbidden']]!
    hanging = fleet[at.hang]!
    ok = fleet.filter((c) => ![failing, hibernating, forbidden, hanging].includes(c)).slice(0, 2)
  })
  after(async () => {
    await sim.stop()
    for (const h of homes) rmSync(h, {force: true, recursive: true})
  })

  /** A user home with its own kubeconfig and its own TMPDIR (to see what each leaves there). */
  function home(): UserHome & {tmp: string} {
    const base = mkdtempSync(join(tmpdir(), 'bp-each-'))
    homes.push(base)
    const tmp = join(base, 'tmp')
    mkdirSync(tmp)
    const u = userHome(sim, {TMPDIR: tmp})
    homes.push(u.home)
    writeFileSync(u.kubeconfig, USER_KUBECONFIG, {mode: 0o600})
    return {...u, tmp}
  }

  function clustersFile(u: UserHome, clusters: SimCluster[]): string {
    const file = join(u.home, 'clusters.txt')
    writeFileSync(file, `# the mixed fleet\n${clusters.map((c) => `${c.name}   # ${c.id}`).join('\n')}\n\n`)
    return file
  }

  const mixed = (): SimCluster[] => [ok[0]!, failing, hibernating, forbidden, hanging, ok[1]!]

  function expectUntouched(u: UserHome & {tmp: string}): void {
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(USER_KUBECONFIG)
    expect(readdirSync(u.tmp), 'temporary kubeconfigs left behind').to.deep.equal([])
  }

  it('a mixed fleet: ok, failing, hibernating, login 403, hanging — prefixed lines, the summary, exit 1', async () => {
    const u = home()
    const from = sim.requests.length
    const r = await backplane(['each', '--clusters-file', clustersFile(u, mixed()), '--timeout', TIMEOUT, '--', 'get', 'ns', '-o', 'name'], u.env)
    expect(r.code, r.stderr).to.equal(1)
    for (const c of ok) expect(r.stdout).to.include(`${c.name} │ namespace/default\n`).and.include(`${c.name} │ namespace/kube-system\n`)
    // Whole lines only, each with its cluster's prefix.
    for (const line of r.stdout.trimEnd().split('\n')) expect(line).to.match(/^[a-z0-9-]+ │ /)
    expect(r.stderr).to.include(`${hibernating.name} │ skipped: hibernating`)
    expect(r.stderr).to.match(new RegExp(`${forbidden.name} │ login failed: .*403|${forbidden.name} │ login failed: .*not allowed`))
    expect(r.stderr).to.include(`${hanging.name} │ timed out after 3 s`)
    expect(r.stderr).to.include(`${failing.name} │ Error from server (InternalError)`)
    expect(r.stderr.trimEnd().split('\n').at(-1)).to.match(/^2 ok, 1 failed, 1 login-failed, 1 timeout, 1 skipped in \d+\.\d s$/)
    // The hibernating cluster was never logged in to; the others were, once each.
    const logins = sim.requests.slice(from).filter((q) => q.method === 'POST' && q.path.startsWith('/backplane/login/'))
    expect(logins.map((q) => q.path.split('/')[3]).sort()).to.deep.equal(mixed().filter((c) => c !== hibernating).map((c) => c.id).sort())
    expectUntouched(u)
  })

  it('-o table: one row per cluster with its status, seconds and first line', async () => {
    const u = home()
    const r = await backplane(['each', '--clusters-file', clustersFile(u, mixed()), '--timeout', TIMEOUT, '-o', 'table', '--', 'get', 'ns', '-o', 'name'], u.env)
    expect(r.code, r.stderr).to.equal(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^CLUSTER\s+STATUS\s+SECONDS\s+FIRST LINE$/)
    const row = (c: SimCluster) => lines.find((l) => l.startsWith(`${c.name} `))!
    expect(lines).to.have.length(7)
    expect(row(ok[0]!)).to.match(/\sok\s+\d+\.\d\s+namespace\/default$/)
    expect(row(failing)).to.match(/\sfailed\(exit 1\)\s+\d+\.\d\s+/)
    expect(row(hibernating)).to.match(/\sskipped\s+0\.0\s+hibernating$/)
    expect(row(forbidden)).to.match(/\slogin-failed\s/)
    expect(row(hanging)).to.match(/\stimeout\s+3\.\d\s+timed out after 3 s$/)
    // In the order of the file, not of finishing.
    expect(lines.slice(1).map((l) => l.split(' ')[0])).to.deep.equal(mixed().map((c) => c.name))
    expectUntouched(u)
  })

  it('--json: one object per cluster; --max-output caps what is kept and marks the truncation', async () => {
    const u = home()
    const r = await backplane(['each', '--clusters-file', clustersFile(u, mixed()), '--timeout', TIMEOUT, '--json', '--max-output', '20', '--', 'get', 'ns', '-o', 'name'], u.env)
    expect(r.code, r.stderr).to.equal(1)
    const results = JSON.parse(r.stdout) as Array<Record<string, any>>
    expect(results.map((x) => x.cluster)).to.deep.equal(mixed().map((c) => ({id: c.id, name: c.name})))
    expect(results.map((x) => x.status)).to.deep.equal(['ok', 'failed', 'skipped', 'login-failed', 'timeout', 'ok'])
    const first = results[0]!
    expect(first).to.include({exitCode: 0, stdout: 'namespace/default\nna', stderr: ''})
    expect(first.truncated.stdout).to.be.greaterThan(50)
    expect(first.durationMs).to.be.a('number').greaterThan(0)
    expect(results[1]).to.include({exitCode: 1})
    expect(results[1]!.stderr).to.have.length(20)
    expect(results[2]).to.include({error: 'hibernating', exitCode: null})
    expect(Object.keys(first)).to.deep.equal(['cluster', 'status', 'exitCode', 'durationMs', 'stdout', 'stderr', 'truncated'])
    expectUntouched(u)
  })

  it('-o jsonl streams one object per cluster as it finishes, through jq', async () => {
    const u = home()
    const file = clustersFile(u, mixed())
    const command = `'${process.execPath}' '${RUN}' each --clusters-file - --timeout ${TIMEOUT} -o jsonl -- get ns -o name < '${file}' | jq -r --unbuffered '.cluster.name + " " + .status'`
    const started = Date.now()
    const child = spawn('sh', ['-c', command], {env: u.env, stdio: ['ignore', 'pipe', 'pipe']})
    const arrivals: Array<{at: number; line: string}> = []
    let pending = ''
    child.stdout.on('data', (d: Buffer) => {
      pending += d
      const lines = pending.split('\n')
      pending = lines.pop()!
      for (const line of lines) arrivals.push({at: Date.now() - started, line})
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const code = await new Promise((resolve) => child.on('close', resolve))
    const total = Date.now() - started
    transcript.push({args: ['each', '-o', 'jsonl'], stderr, stdout: arrivals.map((a) => a.line).join('\n')})
    expect(code, stderr).to.equal(0) // jq's status: the pipe's
    expect(arrivals.map((a) => a.line).sort()).to.deep.equal(
      [`${ok[0]!.name} ok`, `${ok[1]!.name} ok`, `${failing.name} failed`, `${hibernating.name} skipped`, `${forbidden.name} login-failed`, `${hanging.name} timeout`].sort(),
    )
    // The ok clusters reached jq long before the hanging one timed out and the run ended.
    const firstOk = arrivals.find((a) => a.line.endsWith(' ok'))!
    expect(total - firstOk.at, JSON.stringify(arrivals)).to.be.greaterThan(1000)
    expect(arrivals.at(-1)!.line).to.equal(`${hanging.name} timeout`)
    expectUntouched(u)
  })

  it('--dry-run lists what would run and what is skipped, and logs in to nothing', async () => {
    const u = home()
    const from = sim.requests.length
    const r = await backplane(['each', '--clusters-file', clustersFile(u, mixed()), '--dry-run', '--', 'delete', 'ns', 'x'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include(`${ok[0]!.name}  ${ok[0]!.id}  would run\n`).and.include(`${hibernating.name}  ${hibernating.id}  skip (hibernating)\n`)
    expect(r.stdout.trimEnd().split('\n')).to.have.length(6)
    expect(r.stderr).to.equal('dry run: oc delete ns x would run on 5 clusters, 1 skipped; nothing was run\n')
    const json = await backplane(['each', '--search', `name = '${ok[0]!.name}' or name = '${hibernating.name}'`, '--dry-run', '--json'], u.env)
    const expected = [
      {cluster: {id: ok[0]!.id, name: ok[0]!.name}, status: 'would-run'},
      {cluster: {id: hibernating.id, name: hibernating.name}, reason: 'hibernating', status: 'skipped'},
    ]
    // In OCM's order.
    if (fleet.indexOf(hibernating) < fleet.indexOf(ok[0]!)) expected.reverse()
    expect(JSON.parse(json.stdout)).to.deep.equal(expected)
    expect(sim.requests.slice(from).filter((q) => q.path.startsWith('/backplane/'))).to.deep.equal([])
    expectUntouched(u)
  })

  it('more than --max clusters need --yes: the count and the first 10 names, exit 1', async () => {
    const u = home()
    const r = await backplane(['each', '%-%', '--max', '12', '--', 'get', 'ns'], u.env)
    const runnable = sim.clusters.filter((c) => c.name.includes('-') && c.status.state === 'ready')
    const names = runnable.slice(0, 10).map((c) => c.name).join(', ')
    expectOneErrorLine(r, 1, `Error: ${runnable.length} clusters would run, more than --max 12: ${names}, … (${runnable.length - 10} more) — check the list with --dry-run, then pass --yes (or a higher --max)`)
    const yes = await backplane(['each', '--search', `name like '${ok[0]!.name.slice(0, -2)}%' or name = '${ok[1]!.name}'`, '--max', '1', '--yes', '--', 'get', 'ns', 'default', '-o', 'name'], u.env)
    expect(yes.code, yes.stderr).to.equal(0)
    expect(yes.stdout).to.include(`${ok[1]!.name} │ namespace/default`)
    expectUntouched(u)
  })

  it('the PATTERN is login\'s key: an exact name is that cluster alone', async () => {
    const u = home()
    const r = await backplane(['each', ok[0]!.name, '--', 'get', 'ns', 'default', '-o', 'name'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(`${ok[0]!.name} │ namespace/default\n`)
    expect(r.stderr).to.match(/^1 ok, 0 failed, 0 timeout, 0 skipped in \d+\.\d s\n$/)
  })

  it('--reason runs elevated: backplane-cluster-admin with the reason; it needs --yes without a terminal, and not with --dry-run', async () => {
    const u = home()
    const file = clustersFile(u, ok)
    expectOneErrorLine(await backplane(['each', '--clusters-file', file, '--reason', 'OHSS-1', '--', 'get', 'ns'], u.env), 1, 'Error: an elevated run needs confirmation — pass --yes (there is no terminal to ask on)')
    expectOneErrorLine(await backplane(['each', '--clusters-file', file, '--reason', 'OHSS-1', '--dry-run'], u.env), 2, /--dry-run|--reason/)
    const from = sim.requests.length
    const r = await backplane(['each', '--clusters-file', file, '--reason', 'OHSS-1234 restart stuck pod', '--yes', '--', 'get', 'ns', 'default', '-o', 'name'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const kube = sim.requests.slice(from).filter((q) => q.path.includes('/api/v1/namespaces/default'))
    expect(kube).to.have.length(2)
    for (const q of kube) {
      expect(q.headers['impersonate-user']).to.equal('backplane-cluster-admin')
      expect(q.headers['impersonate-extra-reason']).to.equal('OHSS-1234 restart stuck pod')
    }

    // Without --reason, nothing is impersonated.
    const plainFrom = sim.requests.length
    await backplane(['each', '--clusters-file', file, '--', 'get', 'ns', 'default'], u.env)
    const plain = sim.requests.slice(plainFrom).filter((q) => q.path.includes('/api/v1/namespaces/default'))
    expect(plain).to.have.length(2)
    for (const q of plain) expect(q.headers['impersonate-user']).to.equal(undefined)
    expectUntouched(u)
  })

  it('--sh: KUBECONFIG (0600 in a private 0700 directory), CLUSTER_ID and CLUSTER_NAME', async () => {
    const u = home()
    const line = 'echo "$CLUSTER_ID $CLUSTER_NAME"; stat -c %a "$KUBECONFIG" "$(dirname "$KUBECONFIG")"; kubectl get ns default -o name'
    const r = await backplane(['each', '--clusters-file', clustersFile(u, ok), '--sh', line], u.env)
    expect(r.code, r.stderr).to.equal(0)
    for (const c of ok) {
      const mine = r.stdout.split('\n').filter((l) => l.startsWith(`${c.name} │ `)).map((l) => l.slice(c.name.length + 3))
      expect(mine).to.deep.equal([`${c.id} ${c.name}`, '600', '700', 'namespace/default'])
    }

    expectUntouched(u)
  })

  it('runs oc when it is on PATH, else kubectl, with argv unchanged', async () => {
    const u = home()
    const bin = join(u.home, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'oc'), '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n')
    chmodSync(join(bin, 'oc'), 0o755)
    const args = ['get', 'ns', '-o', "jsonpath={.items[*].metadata.name}", 'two words', '--', "it's"]
    const r = await backplane(['each', ok[0]!.name, '--', ...args], {...u.env, PATH: `${bin}:${u.env.PATH}`})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(args.map((a) => `${ok[0]!.name} │ [${a}]\n`).join(''))
    expectUntouched(u)
  })

  it('usage errors: no clusters, two sources, no command, arguments before --', async () => {
    const u = home()
    expectOneErrorLine(await backplane(['each', '--', 'get', 'ns'], u.env), 2, /no clusters given/)
    expectOneErrorLine(await backplane(['each', '%a%', '--search', "name = 'x'", '--', 'get', 'ns'], u.env), 2, /only one of PATTERN, --search and --clusters-file/)
    expectOneErrorLine(await backplane(['each', '%a%'], u.env), 2, /no command given/)
    expectOneErrorLine(await backplane(['each', '%a%', 'get', 'ns'], u.env), 2, /unexpected argument "get" — put the oc arguments after --/)
    expectOneErrorLine(await backplane(['each', '%a%', '--parallel', '65', '--', 'get', 'ns'], u.env), 2, /parallel|less than or equal to 64/)
    expectOneErrorLine(await backplane(['each', 'no-such-cluster-anywhere', '--', 'get', 'ns'], u.env), 1, /no cluster matches "no-such-cluster-anywhere"/)
    const missing = await runProgram(process.execPath, [RUN, 'each', '--clusters-file', '-', '--', 'get', 'ns'], u.env, {input: `${ok[0]!.name}\nnot-a-cluster-1\n`})
    expectOneErrorLine(missing, 1, 'Error: no cluster matches "not-a-cluster-1" — fix or remove those lines')
    expectUntouched(u)
  })

  it('Ctrl-C in the middle: no new starts, children killed, the summary of what finished, exit 130, nothing left behind', async () => {
    const u = home()
    const marker = `9${process.pid}`
    // The first two clusters finish quickly; the rest sleep until they are killed.
    const line = `case "$CLUSTER_NAME" in ${ok[0]!.name}|${ok[1]!.name}) echo quick ;; *) echo started; exec sleep ${marker} ;; esac`
    const keys = [ok[0]!, ok[1]!, ...fleet.filter((c) => c.status.state === 'ready' && !c.sim.loginForbidden && !c.sim.kubeFault && !ok.includes(c)).slice(0, 10)]
    const child = spawn(process.execPath, [RUN, 'each', '--clusters-file', clustersFile(u, keys), '--parallel', '4', '--sh', line], {env: u.env, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let stderr = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (stderr += d))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never started: ${out} ${stderr}`)), 60_000)
      const check = (): void => {
        if ((out.match(/│ started/g) ?? []).length >= 2 && (out.match(/│ quick/g) ?? []).length === 2) {
          clearTimeout(timer)
          child.stdout.off('data', check)
          resolve()
        }
      }

      child.stdout.on('data', check)
    })
    const sentAt = Date.now()
    child.kill('SIGINT')
    const code = await new Promise((resolve) => child.on('close', resolve))
    transcript.push({args: ['each', '--sh'], stderr, stdout: out})
    expect(code, stderr).to.equal(130)
    expect(Date.now() - sentAt).to.be.lessThan(10_000)
    const summary = stderr.trimEnd().split('\n').at(-1)!
    expect(summary).to.match(/^2 ok, 0 failed, 0 timeout, \d+ interrupted, \d+ not started, 0 skipped in \d+\.\d s$/)
    const [, interrupted, notStarted] = /(\d+) interrupted, (\d+) not started/.exec(summary)!.map(Number)
    expect(interrupted! + notStarted!).to.equal(keys.length - 2)
    expect(interrupted).to.be.within(1, 4)
    const sleeping = execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).split('\n').filter((l) => l.includes(`sleep ${marker}`))
    expect(sleeping, 'children still running').to.deep.equal([])
    expectUntouched(u)
  })
})
