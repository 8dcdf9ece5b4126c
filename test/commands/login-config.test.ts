import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {backplane, userHome, type UserHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'

const ENVIRONMENT = 'GET /api/clusters_mgmt/v1/environment'

describe('login: where its settings come from', function () {
  this.timeout(60_000)
  const s = useSimulator()

  const setBackplaneConfig = (u: UserHome, config: Record<string, unknown>) => writeFileSync(u.env.BACKPLANE_CONFIG!, JSON.stringify(config))
  const environmentCalls = (from: number) => s.sim.requests.slice(from).filter((q) => `${q.method} ${q.path}` === ENVIRONMENT).length

  it('the backplane URL: --url, then BACKPLANE_URL, and only then OCM', async () => {
    // OCM would answer the environment call with an error: none of these may ask it.
    s.sim.setFault(ENVIRONMENT, {body: '{"reason":"down"}', status: 500})
    try {
      for (const [how, args, env, config] of [
        ['--url', ['--url', s.sim.url], {}, {'ca-file': s.sim.caFile, url: 'https://127.0.0.1:9'}],
        ['BACKPLANE_URL', [], {BACKPLANE_URL: s.sim.url}, {'ca-file': s.sim.caFile, url: 'https://127.0.0.1:9'}],
      ] as const) {
        const u = userHome(s.sim, env)
        setBackplaneConfig(u, config)
        const from = s.sim.requests.length
        const r = await backplane(['login', SEED.demo.name, ...args], u.env)
        expect(r.code, `${how}: ${r.stderr}`).to.equal(0)
        expect(environmentCalls(from), how).to.equal(0)
      }

      const u = userHome(s.sim)
      const r = await backplane(['login', SEED.demo.name], u.env)
      expect(r.stderr).to.match(/^Error: OCM answered 500 Internal Server Error: down/)
    } finally {
      s.sim.setFault(ENVIRONMENT, undefined)
    }
  })

  it('url in the config (deprecated, as in Go): the OCM environment\'s backplane_url wins, with one warning naming both', async () => {
    const u = userHome(s.sim)
    setBackplaneConfig(u, {'ca-file': s.sim.caFile, url: 'https://127.0.0.1:9/'})
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('Warning: '))
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.include('url https://127.0.0.1:9 in').and.include(`differs from the OCM environment's backplane_url ${s.sim.url}: using ${s.sim.url}`)
    expect(parse(readFileSync(u.kubeconfig, 'utf8')).clusters[0].cluster.server).to.equal(`${s.sim.url}/backplane/cluster/${SEED.demo.id}/`)

    // The same URL as OCM's: nothing to warn about.
    setBackplaneConfig(u, {'ca-file': s.sim.caFile, url: s.sim.url})
    const same = await backplane(['login', SEED.demo.name], u.env)
    expect(same.code, same.stderr).to.equal(0)
    expect(same.stderr).to.not.include('Warning:')

    // OCM advertises none: the config url is used, and said so.
    s.sim.setFault(ENVIRONMENT, {body: JSON.stringify({kind: 'Environment', name: 'simulator'}), status: 200})
    try {
      const fallback = await backplane(['login', SEED.demo.name], u.env)
      expect(fallback.code, fallback.stderr).to.equal(0)
      expect(fallback.stderr).to.include(`Warning: OCM advertises no backplane URL: using url ${s.sim.url} from`)
    } finally {
      s.sim.setFault(ENVIRONMENT, undefined)
    }
  })

  it('BACKPLANE_CA_FILE is trusted for every call and embedded in the kubeconfig', async () => {
    const u = userHome(s.sim, {BACKPLANE_CA_FILE: s.sim.caFile})
    setBackplaneConfig(u, {})
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const cluster = parse(readFileSync(u.kubeconfig, 'utf8')).clusters[0].cluster
    expect(Buffer.from(cluster['certificate-authority-data'], 'base64').toString()).to.equal(s.sim.caPem)

    const untrusted = userHome(s.sim)
    setBackplaneConfig(untrusted, {})
    const refused = await backplane(['login', SEED.demo.name], untrusted.env)
    expect(refused.code).to.equal(1)
    expect(refused.stderr).to.match(/^Error: the TLS certificate of OCM at https:\/\/127\.0\.0\.1:\d+ is not trusted .* — point BACKPLANE_CA_FILE/)
  })

  it('OCM_URL overrides the url of the OCM config', async () => {
    const u = userHome(s.sim, {OCM_URL: s.sim.url})
    writeFileSync(u.ocmConfig, JSON.stringify({...JSON.parse(readFileSync(u.ocmConfig, 'utf8')), url: 'https://127.0.0.1:9'}))
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
  })

  it('display-cluster-info in the config shows what --cluster-info shows', async () => {
    const u = userHome(s.sim)
    setBackplaneConfig(u, {'ca-file': s.sim.caFile, 'display-cluster-info': true})
    const r = await backplane(['login', SEED.gcp.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(new RegExp(`Cluster ID: +${SEED.gcp.id}`)).and.match(/Provider: +gcp/)
  })

  it('KUBECONFIG with several files: login writes the first (creating it), kubectl merges them', async () => {
    const u = userHome(s.sim)
    const first = join(u.home, 'first-config')
    const env = {...u.env, KUBECONFIG: `${first}:${u.kubeconfig}`}
    writeFileSync(u.kubeconfig, readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url)))
    const before = readFileSync(u.kubeconfig, 'utf8')
    const r = await backplane(['login', SEED.demo.name], env)
    expect(r.code, r.stderr).to.equal(0)
    expect(parse(readFileSync(first, 'utf8'))['current-context']).to.equal('default/demo-cluster/sre-demo')
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(before)
    const out = await backplane(['logout'], env)
    expect(out.code, out.stderr).to.equal(0)
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(before)
  })
})
