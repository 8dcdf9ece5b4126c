import {expect} from 'chai'
import {chmodSync, readFileSync, rmSync, writeFileSync} from 'node:fs'

import {SEED} from '../../src/simulator/index.js'
import {CLIENT_CONFIG} from '../../src/simulator/reports.js'
import {backplane, userHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {expectOneErrorLine} from '../support/expect.js'
import {deadPort, startConnectProxy, type ConnectProxy} from '../support/proxy.js'
import {useSimulator} from '../support/sim.js'

describe('config troubleshoot', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let proxy: ConnectProxy
  before(async () => {
    proxy = await startConnectProxy()
  })
  after(() => proxy.stop())

  it('a healthy setup: every line [V] with where each setting comes from, then the curl to try', async () => {
    const u = userHome(s.sim)
    editBackplaneConfig(u, {'proxy-url': proxy.url})
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const r = await backplane(['config', 'troubleshoot'], u.env)
    expect(r.code, r.stdout + r.stderr).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal(`[V] Config file: ${u.env.BACKPLANE_CONFIG}, valid JSON, mode 0600`)
    expect(lines[1]).to.equal(`[V] Proxy: ${proxy.url} reaches backplane (from proxy-url in the backplane config)`)
    expect(lines[2]).to.equal(`[V] Backplane URL: ${s.sim.backplaneUrl} (from the OCM environment)`)
    expect(lines[3]).to.match(new RegExp(`^\\[V\\] Kubeconfig context: ".*" is a backplane context \\(cluster ${SEED.demo.id}\\); its proxy-url ${proxy.url} matches$`))
    expect(lines[4]).to.match(/^\[V\] OCM login: .*ocm\.json: token valid until \d{4}-.* \(\d+ min left\); a refresh works$/)
    expect(lines.at(-1)).to.equal(`  HTTPS_PROXY=${proxy.url} curl -Iv ${s.sim.backplaneUrl}/healthz`)
    const j = JSON.parse((await backplane(['config', 'troubleshoot', '--json'], u.env)).stdout)
    expect(j.checks.map((c: {check: string}) => c.check)).to.deep.equal(['Config file', 'Proxy', 'Backplane URL', 'Kubeconfig context', 'OCM login'])
    expect(j.suggestion).to.equal(`HTTPS_PROXY=${proxy.url} curl -Iv ${s.sim.backplaneUrl}/healthz`)
  })

  it('says what is wrong: a world-readable file, a dead proxy, a context whose proxy-url differs, a failed refresh', async () => {
    const u = userHome(s.sim, {BACKPLANE_URL: s.sim.backplaneUrl})
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const dead = `http://127.0.0.1:${await deadPort()}`
    editBackplaneConfig(u, {'proxy-url': dead})
    chmodSync(u.env.BACKPLANE_CONFIG!, 0o644)
    const ocm = JSON.parse(readFileSync(u.ocmConfig, 'utf8'))
    writeFileSync(u.ocmConfig, JSON.stringify({...ocm, refresh_token: 'not-a-valid-refresh-token'}))
    const r = await backplane(['config', 'troubleshoot'], u.env)
    expect(r.code).to.equal(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^\[X\] Config file: .* is valid JSON, but its mode is 0644: others can read it .* — chmod 600 /)
    expect(lines[1]).to.match(new RegExp(`^\\[X\\] Proxy: ${dead} does not \\(.*\\) \\(from proxy-url in the backplane config\\) — fix proxy-url`))
    expect(lines[2]).to.equal(`[V] Backplane URL: ${s.sim.backplaneUrl} (from BACKPLANE_URL)`)
    expect(lines[3]).to.match(new RegExp(`^\\[X\\] Kubeconfig context: .* but its proxy-url is none and the config's proxy is ${dead} — run 'backplane login' again`))
    expect(lines[4]).to.match(/^\[X\] OCM login: .* the refresh failed: not logged in to OCM: the session has expired .* — run 'ocm login'$/)
  })

  it('no config file, no proxy, no context: [-] notices, not failures', async () => {
    const u = userHome(s.sim)
    rmSync(u.env.BACKPLANE_CONFIG!)
    const r = await backplane(['config', 'troubleshoot'], {...u.env, BACKPLANE_CA_FILE: s.sim.caFile})
    expect(r.code, r.stdout).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^\[-\] Config file: .* does not exist: defaults apply/)
    expect(lines[1]).to.match(/^\[-\] Proxy: none configured \(--proxy, HTTPS_PROXY, proxy-url\): backplane is reached directly$/)
    expect(lines[3]).to.match(/^\[-\] Kubeconfig context: no current context/)
    expect(lines.at(-1)).to.equal(`  curl -Iv ${s.sim.backplaneUrl}/healthz`)
  })

  it('a config file that is not JSON is an [X] line naming it', async () => {
    const u = userHome(s.sim)
    writeFileSync(u.env.BACKPLANE_CONFIG!, '{"url": ')
    const r = await backplane(['config', 'troubleshoot'], u.env)
    expect(r.code).to.equal(1)
    expect(r.stdout.split('\n')[0]).to.match(/^\[X\] Config file: backplane config .* is not valid JSON/)
  })
})

describe('config refresh', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('writes the server-managed keys, keeps every other byte, and prints what changed', async () => {
    const u = userHome(s.sim)
    const before = readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8').trimEnd()
    const original = `${before.slice(0, -1).trimEnd()},\n    "custom":   [1,2,   3],\n  "prod-env-name": "old-prod",\n  "pd-key": "secret"\n}\n`
    writeFileSync(u.env.BACKPLANE_CONFIG!, original)
    const r = await backplane(['config', 'refresh'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include(`jira-base-url: (not set) → ${CLIENT_CONFIG.jira_base_url}\n`)
    expect(r.stdout).to.include(`prod-env-name: old-prod → production\n`)
    expect(r.stdout).to.include(`assume-initial-arn: (not set) → ${CLIENT_CONFIG.assume_initial_arn}\n`)
    expect(r.stdout).to.include('jira-config-for-access-requests: (not set) → {"issue-type":"Story"')
    const text = readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8')
    expect(text).to.include('    "custom":   [1,2,   3],\n')
    expect(text).to.include('"pd-key": "secret"')
    const json = JSON.parse(text)
    expect(json['jira-config-for-access-requests']).to.deep.equal(CLIENT_CONFIG.jira_config_for_access_requests)
    expect(json['prod-env-name']).to.equal('production')
    expect(json['ca-file']).to.equal(s.sim.caFile)
    expect(s.sim.requests.some((q) => q.method === 'GET' && q.path === '/backplane/config' && /^Bearer /.test(String(q.headers.authorization)))).to.equal(true)

    const again = await backplane(['config', 'refresh', '--json'], u.env)
    expect(JSON.parse(again.stdout)).to.deep.include({changed: [], path: u.env.BACKPLANE_CONFIG})
    expect(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8')).to.equal(text)
  })

  it('only what the server sends is changed; a wrong type changes nothing', async () => {
    const u = userHome(s.sim)
    const original = readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8')
    s.sim.setFault('GET /backplane/config', {body: JSON.stringify({prod_env_name: 'prod-2'}), status: 200})
    try {
      const r = await backplane(['config', 'refresh'], u.env)
      expect(r.stdout).to.equal(`prod-env-name: (not set) → prod-2\nSaved ${u.env.BACKPLANE_CONFIG}\n`)
      expect(Object.keys(JSON.parse(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8')))).to.deep.equal(['ca-file', 'prod-env-name'])
      writeFileSync(u.env.BACKPLANE_CONFIG!, original)
      s.sim.setFault('GET /backplane/config', {body: JSON.stringify({jira_base_url: 7}), status: 200})
      expectOneErrorLine(await backplane(['config', 'refresh'], u.env), 1, /backplane sent "jira_base_url" of the wrong type/)
      expect(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8')).to.equal(original)
    } finally {
      s.sim.setFault('GET /backplane/config', undefined)
    }
  })

  it('a broken config file is refused before any request', async () => {
    const u = userHome(s.sim)
    writeFileSync(u.env.BACKPLANE_CONFIG!, '[1]')
    expectOneErrorLine(await backplane(['config', 'refresh'], u.env), 1, /must hold a JSON object/)
    expect(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8')).to.equal('[1]')
  })
})
