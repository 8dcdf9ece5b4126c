import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'

import {incidentUrl, PD_INCIDENTS, SEED, SIM_PD_KEY} from '../../src/simulator/index.js'
import {backplane, RUN, transcript, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

describe('login --pd', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  afterEach(() => {
    for (const u of homes.splice(0)) rmSync(u.home, {force: true, recursive: true})
  })

  /** A user whose backplane config has a PagerDuty key and the simulator's PagerDuty URL. */
  function pdUser(keys: Record<string, unknown> = {}, extra: Record<string, string> = {}): UserHome {
    const u = userHome(s.sim, extra)
    homes.push(u)
    editBackplaneConfig(u, {'pagerduty-api-url': s.sim.pagerDutyUrl, 'pd-key': SIM_PD_KEY, ...keys})
    return u
  }

  it('logs in to the cluster of the incident; PagerDuty gets the token header and the v2 Accept', async () => {
    const u = pdUser()
    const r = await backplane(['login', '--pd', PD_INCIDENTS.demo], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    expect(r.stdout).to.include(`PagerDuty incident ${PD_INCIDENTS.demo} is about demo-cluster (${SEED.demo.id}).`)
    expect(r.stdout).to.include(`Logged in to demo-cluster (${SEED.demo.id})`)
    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(config['current-context']).to.equal('default/demo-cluster/sre-demo')
    // The incident's page is the new context's elevation reason (Go's ElevateContext extension).
    const ext = config.contexts[0].context.extensions.find((e: {name: string}) => e.name === 'ElevateContext').extension
    expect(ext.reasons).to.deep.equal([incidentUrl(PD_INCIDENTS.demo)])
    expect(Date.now() - Date.parse(ext.lastUsed)).to.be.within(0, 60_000)
    expect(r.stdout).to.include(`Elevation reason recorded for this context: ${incidentUrl(PD_INCIDENTS.demo)}`)
    const json = JSON.parse((await backplane(['login', '--pd', PD_INCIDENTS.demo, '--json'], u.env)).stdout)
    expect(json.reasons).to.deep.equal([incidentUrl(PD_INCIDENTS.demo)])
    const pd = s.sim.requests.filter((q) => q.path.startsWith(`/pagerduty/incidents/${PD_INCIDENTS.demo}/alerts`)).at(-1)!
    expect(pd.method).to.equal('GET')
    expect(pd.headers.authorization).to.equal(`Token token=${SIM_PD_KEY}`)
    expect(pd.headers.accept).to.equal('application/vnd.pagerduty+json;version=2')
  })

  it('takes the incident URL; a "cluster has gone missing" alert gives the id in its notes; other login flags apply', async () => {
    const u = pdUser()
    const url = `https://acme.pagerduty.com/incidents/${PD_INCIDENTS.missing}`
    const r = await backplane(['login', '--pd', url, '-n', 'openshift-monitoring', '--multi'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const path = join(u.home, '.kube', SEED.prodEast1.id, 'config')
    expect(r.stdout).to.equal(`export KUBECONFIG='${path}'\n`)
    expect(r.stderr).to.include(`PagerDuty incident ${PD_INCIDENTS.missing} is about prod-east-1`)
    expect(parse(readFileSync(path, 'utf8'))['current-context']).to.equal('openshift-monitoring/prod-east-1/sre-demo')
  })

  it('several clusters without a terminal: one line listing them; none: one line naming the incident', async () => {
    const u = pdUser()
    expectOneErrorLine(
      await backplane(['login', '--pd', PD_INCIDENTS.several], u.env),
      1,
      `Error: PagerDuty incident ${PD_INCIDENTS.several} has alerts for 2 clusters: prod-east-1 (${SEED.prodEast1.id}), prod-east-2 (${SEED.prodEast2.id}) — log in to one of them with backplane login <cluster>`,
    )
    expectOneErrorLine(await backplane(['login', '--pd', PD_INCIDENTS.none], u.env), 1, new RegExp(`PagerDuty incident ${PD_INCIDENTS.none} has no alert that names a cluster`))
    expect(existsSync(u.kubeconfig)).to.equal(false)
  })

  it('several clusters on a terminal: the picker', async () => {
    const u = pdUser({}, {TERM: 'xterm'})
    const command = [process.execPath, RUN, 'login', '--pd', PD_INCIDENTS.several].map(shellQuote).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: u.env, stdio: ['pipe', 'pipe', 'pipe']})
    let out = ''
    let answered = false
    child.stdout.on('data', (d) => {
      out += d
      if (!answered && out.includes('Several clusters match')) {
        answered = true
        child.stdin.write('\u001B[B')
        setTimeout(() => child.stdin.write('\r'), 200)
      }
    })
    const code = await new Promise((resolve) => child.on('close', resolve))
    transcript.push({args: ['login', '--pd', PD_INCIDENTS.several], stderr: '', stdout: out})
    expect(code, out).to.equal(0)
    expect(out).to.include(`Logged in to prod-east-2 (${SEED.prodEast2.id})`)
  })

  it('no pd-key, a rejected key, an unknown incident, rate limiting: one clear line each, nothing written', async () => {
    const none = userHome(s.sim)
    homes.push(none)
    editBackplaneConfig(none, {'pagerduty-api-url': s.sim.pagerDutyUrl})
    expectOneErrorLine(await backplane(['login', '--pd', PD_INCIDENTS.demo], none.env), 1, /^Error: no PagerDuty API key in .* — set one with `backplane config set pd-key <token>`$/)

    const wrong = pdUser({'pd-key': 'not-the-key'})
    expectOneErrorLine(await backplane(['login', '--pd', PD_INCIDENTS.demo], wrong.env), 1, /PagerDuty rejected the API key \(401 Unauthorized\) — .*backplane config set pd-key/)

    const u = pdUser()
    expectOneErrorLine(await backplane(['login', '--pd', 'QNOSUCHINCIDENT'], u.env), 1, /PagerDuty has no incident QNOSUCHINCIDENT \(404\)/)
    expectOneErrorLine(await backplane(['login', '--pd', PD_INCIDENTS.limited], u.env), 1, /PagerDuty rate limited the request, retry in 17 s/)
    for (const h of [none, wrong, u]) expect(existsSync(h.kubeconfig)).to.equal(false)
    expect(wrong.env.BACKPLANE_CONFIG && readFileSync(wrong.env.BACKPLANE_CONFIG, 'utf8')).to.include('not-the-key')
  })

  it('BACKPLANE_PAGERDUTY_URL wins over the config; bad usage is exit 2 before any request', async () => {
    const u = pdUser({'pagerduty-api-url': 'https://127.0.0.1:1'}, {BACKPLANE_PAGERDUTY_URL: s.sim.pagerDutyUrl})
    expect((await backplane(['login', '--pd', PD_INCIDENTS.demo], u.env)).code).to.equal(0)

    const before = s.sim.requests.length
    expectOneErrorLine(await backplane(['login', SEED.demo.name, '--pd', PD_INCIDENTS.demo], u.env), 2, /give one of a cluster, --pd, not several/)
    expectOneErrorLine(await backplane(['login', '--pd', 'not an id'], u.env), 2, /invalid PagerDuty incident "not an id"/)
    expectOneErrorLine(await backplane(['login', '--pd', 'https://acme.pagerduty.com/services/P1'], u.env), 2, /invalid PagerDuty incident/)
    expectOneErrorLine(await backplane(['login'], u.env), 2, /Missing 1 required arg: cluster/)
    expect(s.sim.requests.length).to.equal(before)
  })
})
