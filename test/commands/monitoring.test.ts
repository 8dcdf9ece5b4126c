import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {createServer} from 'node:net'
import {dirname} from 'node:path'

import {decodeJwt} from '../../src/lib/ocm/jwt.js'
import {forwardedUser, joinPath, monitoringUpstream, parseListen} from '../../src/lib/workflows/monitoring.js'
import {makeCluster, SEED, type Simulator} from '../../src/simulator/index.js'
import {STREAM_GAP_MS} from '../../src/simulator/monitoring.js'
import {backplane, RUN, type RunResult, transcript, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {expectOneErrorLine} from '../support/expect.js'
import {fakeBrowser} from '../support/fake-engine.js'
import {startConnectProxy} from '../support/proxy.js'
import {useSimulator} from '../support/sim.js'

interface Running {
  done: Promise<RunResult>
  kill(signal: NodeJS.Signals): void
  stderr(): string
  waitFor(re: RegExp): Promise<RegExpMatchArray>
}

function startMonitoring(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [RUN, 'monitoring', ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => {
      transcript.push({args: ['monitoring', ...args], stderr, stdout})
      resolve({code, signal, stderr, stdout})
    })
  })
  return {
    done,
    kill: (signal) => child.kill(signal),
    stderr: () => stderr,
    async waitFor(re) {
      const deadline = Date.now() + 30_000
      while (Date.now() < deadline) {
        const m = re.exec(stdout)
        if (m) return m
        if (child.exitCode !== null) throw new Error(`monitoring exited ${child.exitCode}: ${stderr}`)
        await new Promise((r) => setTimeout(r, 50))
      }

      throw new Error(`timed out waiting for ${re}; stderr: ${stderr}`)
    },
  }
}

/** Start it, wait for the Serving line; returns the local origin. */
async function serve(args: string[], env: NodeJS.ProcessEnv): Promise<{origin: string; port: number; run: Running}> {
  const run = startMonitoring(args, env)
  const [, origin, port] = await run.waitFor(/^Serving \S+ at (http:\/\/127\.0\.0\.1:(\d+))\S*\n/m)
  return {origin, port: Number(port), run}
}

async function stopped(run: Running): Promise<RunResult> {
  run.kill('SIGINT')
  return run.done
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

const lastTo = (sim: Simulator, prefix: string) => sim.requests.filter((q) => q.path.startsWith(prefix)).at(-1)

describe('monitoring', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  const dirs: string[] = []
  after(() => {
    for (const u of homes) rmSync(u.home, {force: true, recursive: true})
    for (const d of dirs) rmSync(d, {force: true, recursive: true})
  })

  async function loggedIn(cluster: string = SEED.demo.name, extra: Record<string, string> = {}): Promise<UserHome> {
    const u = userHome(s.sim, extra)
    homes.push(u)
    const r = await backplane(['login', cluster], u.env)
    expect(r.code, r.stderr).to.equal(0)
    return u
  }

  const token = (u: UserHome) => JSON.parse(readFileSync(u.ocmConfig, 'utf8')).access_token as string

  it('thanos: checks the upstream, then forwards GET and POST with a bearer token and x-namespace; Ctrl-C is exit 130 and frees the port', async () => {
    const u = await loggedIn()
    const base = `/backplane/thanos/${SEED.demo.id}`
    const before = s.sim.requests.length
    const {origin, port, run} = await serve(['thanos'], u.env)
    // The first request (the check) was made before the Serving line.
    expect(s.sim.requests.slice(before).some((q) => q.path === `${base}/`)).to.equal(true)

    const res = await fetch(`${origin}/api/v1/query?query=up`, {headers: {authorization: 'Bearer not-mine'}})
    expect(res.status).to.equal(200)
    const body = (await res.json()) as {data: {result: Array<{metric: Record<string, string>}>}}
    expect(body.data.result[0]!.metric).to.deep.equal({__name__: 'up', cluster: SEED.demo.name, namespace: 'openshift-monitoring'})
    const seen = lastTo(s.sim, `${base}/api/v1/query`)!
    expect(seen.path).to.equal(`${base}/api/v1/query?query=up`)
    expect(seen.headers.authorization).to.equal(`Bearer ${token(u)}`) // the client's own Authorization is replaced
    expect(seen.headers['x-namespace']).to.equal('openshift-monitoring')
    expect(seen.headers).not.to.have.any.keys('x-selector', 'x-port', 'x-forwarded-user')

    const post = await fetch(`${origin}/api/v1/query`, {body: 'query=sum(rate(x[5m]))', headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'})
    expect(((await post.json()) as {data: {result: Array<{metric: {__name__: string}}>}}).data.result[0]!.metric.__name__).to.equal('sum(rate(x[5m]))')
    expect(lastTo(s.sim, `${base}/api/v1/query`)!.body).to.equal('query=sum(rate(x[5m]))')
    // Upstream errors pass through as they are.
    expect((await fetch(`${origin}/api/v1/nope`)).status).to.equal(404)

    const r = await stopped(run)
    expect(r.code, r.stderr).to.equal(130)
    expect(r.stderr).to.include('Received SIGINT: stopped serving thanos')
    expect(await portIsFree(port)).to.equal(true)
  })

  it('-n, -l, -p become x-namespace, x-selector and x-port; --listen picks the address; --json prints where it serves', async () => {
    const u = await loggedIn()
    const free = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as {port: number}).port
        srv.close(() => resolve(p))
      })
    })
    const run = startMonitoring(['prometheus', '-n', 'openshift-user-workload-monitoring', '-l', 'app=prometheus,env!=test', '-p', '9091', '--listen', `127.0.0.1:${free}`, '--json'], u.env)
    const [line] = await run.waitFor(/^\{.*\}\n/)
    expect(JSON.parse(line)).to.deep.include({clusterId: SEED.demo.id, listen: `127.0.0.1:${free}`, type: 'prometheus', url: `http://127.0.0.1:${free}`})
    const res = await fetch(`http://127.0.0.1:${free}/api/v1/alerts`)
    expect(res.status).to.equal(200)
    const seen = lastTo(s.sim, `/backplane/prometheus/${SEED.demo.id}/api/v1/alerts`)!
    expect(seen.headers).to.include({'x-namespace': 'openshift-user-workload-monitoring', 'x-port': '9091', 'x-selector': 'app=prometheus,env!=test'})
    expect((await stopped(run)).code).to.equal(130)
  })

  it('streams: the first event of a slow response reaches the client long before the response ends', async () => {
    const u = await loggedIn()
    const {origin, run} = await serve(['thanos'], u.env)
    const times = await new Promise<{end: number; first: number; text: string}>((resolve, reject) => {
      let first = 0
      let text = ''
      request(`${origin}/api/v1/stream`, (res) => {
        expect(res.headers['content-type']).to.equal('text/event-stream')
        res.setEncoding('utf8')
        res.on('data', (d: string) => {
          first ||= Date.now()
          text += d
        })
        res.on('end', () => resolve({end: Date.now(), first, text}))
      })
        .on('error', reject)
        .end()
    })
    expect(times.text).to.equal('data: first\n\ndata: second\n\n')
    expect(times.end - times.first).to.be.greaterThan(STREAM_GAP_MS - 500)
    expect((await stopped(run)).code).to.equal(130)
  })

  it('grafana gets x-forwarded-user (the user of users/~) on a cluster before 4.11', async () => {
    s.sim.clusters.push(makeCluster({externalId: 'f1e2d3c4-0000-4000-8000-000000000411', id: '2b0ld4110000000000000000000000aa', name: 'old-cluster', version: '4.10.67'}))
    const u = await loggedIn('old-cluster')
    const {run} = await serve(['grafana'], u.env)
    expect(s.sim.requests.some((q) => q.path.endsWith('/apis/user.openshift.io/v1/users/~'))).to.equal(true)
    const seen = lastTo(s.sim, '/backplane/grafana/2b0ld4110000000000000000000000aa/')!
    expect(seen.headers['x-forwarded-user']).to.equal(decodeJwt(token(u))!.preferred_username)
    expect((await stopped(run)).code).to.equal(130)
    expect(forwardedUser('system:serviceaccount:openshift-backplane:sre')).to.equal('openshift-backplane:sre')
  })

  it('openshift-monitoring on 4.11 or later: prometheus, alertmanager and grafana are refused with the reason, before any request to them', async () => {
    const u = await loggedIn()
    const before = s.sim.requests.length
    for (const type of ['prometheus', 'alertmanager', 'grafana']) {
      expectOneErrorLine(
        await backplane(['monitoring', type], u.env),
        1,
        /^Error: cluster demo-cluster runs OpenShift 4\.15\.3: from 4\.11 the Prometheus, Alertmanager and Grafana UIs of openshift-monitoring are deprecated — use 'backplane monitoring thanos', or the Observe tab of 'backplane console', or another namespace with -n$/,
      )
    }

    expect(s.sim.requests.slice(before).some((q) => /^\/backplane\/(prometheus|alertmanager|grafana)\//.test(q.path))).to.equal(false)
  })

  it('-u: a PagerDuty link of this cluster is printed (and opened with -b) on the local proxy; another cluster\'s is refused', async () => {
    const browser = fakeBrowser()
    dirs.push(dirname(browser.env.BROWSER!))
    const u = await loggedIn(SEED.demo.name, browser.env)
    const domain = s.sim.clusters.find((c) => c.id === SEED.demo.id)!.dns.base_domain
    const link = `https:///thanos-querier-openshift-monitoring.apps.demo.${domain}/graph?g0.expr=up&g0.tab=0`
    const {port, run} = await serve(['thanos', '-b', '-u', link], u.env)
    const shown = `http://127.0.0.1:${port}/graph?g0.expr=up&g0.tab=0`
    expect((await run.waitFor(/^Serving thanos at (\S+)\n/m))[1]).to.equal(shown)
    const deadline = Date.now() + 10_000
    while (browser.opened().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(browser.opened()).to.deep.equal([shown])
    expect((await stopped(run)).code).to.equal(130)

    expectOneErrorLine(
      await backplane(['monitoring', 'thanos', '-u', 'https://thanos-querier.apps.other.example.com/graph'], u.env),
      1,
      new RegExp(`^Error: the URL's host thanos-querier\\.apps\\.other\\.example\\.com is not in the base domain ${domain.replaceAll('.', '\\.')} of the current cluster demo-cluster — log in to the cluster`),
    )
  })

  it('an upstream that refuses the first request is one line before anything is served', async () => {
    const u = await loggedIn()
    expectOneErrorLine(
      await backplane(['monitoring', 'thanos', '-n', 'no-such-ns'], u.env),
      1,
      /^Error: thanos of the cluster answered 404 at https:\/\/127\.0\.0\.1:\d+\/backplane\/thanos\/\w+\/: no thanos found in namespace no-such-ns — check the namespace \(-n\)/,
    )
    s.sim.setFault('GET /backplane/thanos/', {body: '{"statusCode":403,"message":"access denied"}', status: 403, times: 1})
    expectOneErrorLine(await backplane(['monitoring', 'thanos'], u.env), 1, /answered 403 .*: access denied — check your OCM login/)
  })

  it('a token near its expiry is refreshed for the next request (and saved)', async () => {
    const u = await loggedIn()
    const config = JSON.parse(readFileSync(u.ocmConfig, 'utf8'))
    // Valid for 70 s: used as it is for 10 s, then within the minute before its expiry, where it is refreshed.
    const issued = Date.now()
    const short = s.sim.issueAccessToken({ttlSeconds: 70})
    writeFileSync(u.ocmConfig, JSON.stringify({...config, access_token: short}), {mode: 0o600})
    const {origin, run} = await serve(['thanos'], u.env)
    await fetch(`${origin}/api/v1/query?query=a`)
    expect(Date.now() - issued).to.be.lessThan(9000)
    expect(lastTo(s.sim, `/backplane/thanos/${SEED.demo.id}/api/v1/query`)!.headers.authorization).to.equal(`Bearer ${short}`)
    await new Promise((r) => setTimeout(r, issued + 11_000 - Date.now()))
    await fetch(`${origin}/api/v1/query?query=b`)
    const fresh = lastTo(s.sim, `/backplane/thanos/${SEED.demo.id}/api/v1/query`)!.headers.authorization
    expect(fresh).to.match(/^Bearer /).and.not.equal(`Bearer ${short}`)
    expect(`Bearer ${token(u)}`).to.equal(fresh)
    expect((await stopped(run)).code).to.equal(130)
  })

  it('goes through the backplane proxy (proxy-url)', async () => {
    const proxy = await startConnectProxy()
    try {
      const u = userHome(s.sim)
      homes.push(u)
      editBackplaneConfig(u, {'proxy-url': proxy.url})
      expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
      const before = proxy.connects.length
      const {origin, run} = await serve(['thanos'], u.env)
      expect((await fetch(`${origin}/api/v1/alerts`)).status).to.equal(200)
      expect(proxy.connects.slice(before)).to.include(new URL(s.sim.url).host)
      expect((await stopped(run)).code).to.equal(130)
    } finally {
      await proxy.stop()
    }
  })

  it('bad input is one usage line, before any request', async () => {
    const u = await loggedIn()
    const count = s.sim.requests.length
    expectOneErrorLine(await backplane(['monitoring', 'kibana'], u.env), 2, /Expected kibana to be one of: prometheus, alertmanager, thanos, grafana/)
    expectOneErrorLine(await backplane(['monitoring', 'thanos', '--listen', 'nowhere'], u.env), 2, /^Error: invalid --listen "nowhere" — give host:port/)
    expectOneErrorLine(await backplane(['monitoring', 'thanos', '-p', '99999'], u.env), 2, /^Error: invalid --port "99999"/)
    expectOneErrorLine(await backplane(['monitoring', 'thanos', '-l', 'a=b\u0007'], u.env), 2, /^Error: invalid --selector "a=b\\u0007"/)
    expectOneErrorLine(await backplane(['monitoring', 'thanos', '-u', 'not a url'], u.env), 2, /^Error: invalid --origin "not a url"/)
    expectOneErrorLine(await backplane(['monitoring', 'thanos', '-n', 'Bad_NS'], u.env), 2, /^Error: invalid namespace "Bad_NS"/)
    expect(s.sim.requests.length).to.equal(count)
    expectOneErrorLine(await backplane(['monitoring', 'thanos'], {...u.env, KUBECONFIG: `${u.home}/none`}), 1, /no current kubeconfig context/)
  })

  it('helpers: the upstream URL, path joining, --listen forms', () => {
    expect(monitoringUpstream('https://bp.example.com/backplane/cluster/abc/', 'thanos')).to.equal('https://bp.example.com/backplane/thanos/abc')
    expect(joinPath('/backplane/thanos/abc', '/api/v1/query')).to.equal('/backplane/thanos/abc/api/v1/query')
    expect(joinPath('/a/', '/b')).to.equal('/a/b')
    expect(joinPath('/a', 'b')).to.equal('/a/b')
    expect(parseListen('127.0.0.1:9090')).to.deep.equal({host: '127.0.0.1', port: 9090})
    expect(parseListen(':0')).to.deep.equal({host: '127.0.0.1', port: 0})
    expect(parseListen('[::1]:9090')).to.deep.equal({host: '::1', port: 9090})
  })
})
