import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {backplane, runProgram, userHome} from '../support/cli.js'
import {deadPort, startConnectProxy, type ConnectProxy} from '../support/proxy.js'
import {useSimulator} from '../support/sim.js'

const SEARCH = 'GET /api/clusters_mgmt/v1/clusters'

describe('network: proxies', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let proxy: ConnectProxy
  beforeEach(async () => {
    proxy = await startConnectProxy()
  })
  afterEach(async () => {
    await proxy.stop()
  })

  const target = () => new URL(s.sim.url).host

  async function kubectlThroughKubeconfigProxy(env: NodeJS.ProcessEnv) {
    const before = proxy.connects.length
    const {HTTPS_PROXY: _, ...withoutEnvProxy} = env
    const r = await runProgram('kubectl', ['get', 'namespace', 'default', '-o', 'name'], withoutEnvProxy)
    expect(r.stdout.trim(), r.stderr).to.equal('namespace/default')
    expect(proxy.connects.length).to.be.greaterThan(before)
  }

  it('HTTPS_PROXY: every call (OCM and backplane) tunnels through it, proxy-url lands in the kubeconfig, kubectl uses it', async () => {
    const u = userHome(s.sim, {HTTPS_PROXY: proxy.url})
    const first = s.sim.requests.length
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const served = s.sim.requests.length - first
    expect(served).to.be.greaterThan(2)
    expect(proxy.connects).to.have.length(served)
    expect(new Set(proxy.connects)).to.deep.equal(new Set([target()]))
    expect(parse(readFileSync(u.kubeconfig, 'utf8')).clusters[0].cluster['proxy-url']).to.equal(proxy.url)
    await kubectlThroughKubeconfigProxy(u.env)
  })

  it('--proxy: backplane calls tunnel through it, OCM calls do not', async () => {
    const u = userHome(s.sim)
    // --no-sessions: the other-sessions lookup (its own test) would add its requests to the count.
    const r = await backplane(['login', SEED.demo.name, '--proxy', proxy.url, '--no-sessions'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(proxy.connects).to.deep.equal([target()]) // the one POST /backplane/login
    expect(parse(readFileSync(u.kubeconfig, 'utf8')).clusters[0].cluster['proxy-url']).to.equal(proxy.url)
    await kubectlThroughKubeconfigProxy(u.env)
  })

  it('config proxy-url list: the first proxy whose /healthz answers is used and written', async () => {
    const u = userHome(s.sim)
    const dead = `http://127.0.0.1:${await deadPort()}`
    const config = JSON.parse(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8'))
    writeFileSync(u.env.BACKPLANE_CONFIG!, JSON.stringify({...config, 'proxy-url': [dead, proxy.url]}))
    const r = await backplane(['login', SEED.demo.name, '--no-sessions'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(parse(readFileSync(u.kubeconfig, 'utf8')).clusters[0].cluster['proxy-url']).to.equal(proxy.url)
    expect(proxy.connects.length).to.equal(2) // the /healthz probe and the login
  })

  it('a dead proxy gives one clear line naming it', async () => {
    const u = userHome(s.sim)
    const dead = `http://127.0.0.1:${await deadPort()}`
    const r = await backplane(['login', SEED.demo.name, '--proxy', dead], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr).to.equal(`Error: cannot reach backplane through proxy ${dead} (connection refused): the proxy ${dead} is unreachable — run \`backplane healthcheck\` to check the VPN, the proxy and the backplane API\n`)
  })
})

describe('network: retries and timeouts', function () {
  this.timeout(60_000)
  const s = useSimulator()
  afterEach(() => {
    s.sim.setFault(SEARCH, undefined)
    s.sim.setFault('POST /backplane/login/', undefined)
  })

  const count = (from: number, prefix: string) => s.sim.requests.slice(from).filter((q) => `${q.method} ${q.path}`.startsWith(prefix)).length

  it('an idempotent GET is retried on 502/503/504 and connection resets, at most twice', async () => {
    const u = userHome(s.sim)
    let from = s.sim.requests.length
    s.sim.setFault(SEARCH, {body: '<html>bad gateway</html>', contentType: 'text/html', status: 502, times: 1})
    s.sim.setFault('GET /api/clusters_mgmt/v1/environment', {destroy: true, times: 1})
    let r = await backplane(['login', SEED.demo.name], u.env)
    s.sim.setFault('GET /api/clusters_mgmt/v1/environment', undefined)
    expect(r.code, r.stderr).to.equal(0)
    expect(count(from, SEARCH)).to.equal(2)
    expect(count(from, 'GET /api/clusters_mgmt/v1/environment')).to.equal(2)

    from = s.sim.requests.length
    s.sim.setFault(SEARCH, {status: 503, times: 3})
    r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr).to.match(/^Error: OCM answered 503 Service Unavailable with an empty body — OCM is failing: retry later\n$/)
    expect(count(from, SEARCH)).to.equal(3)
  })

  it('a POST is not retried', async () => {
    const u = userHome(s.sim)
    const from = s.sim.requests.length
    s.sim.setFault('POST /backplane/login/', {status: 502, times: 1})
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code).to.equal(1)
    expect(count(from, 'POST /backplane/login/')).to.equal(1)
  })

  it('a stalled server gives a clear error within the configured timeout, not a hang', async () => {
    const u = userHome(s.sim, {BACKPLANE_TIMEOUT: '0.5'})
    s.sim.setFault(SEARCH, {delayMs: 10_000})
    const started = Date.now()
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr).to.match(/^Error: OCM at https:\/\/127\.0\.0\.1:\d+ did not answer GET \/api\/clusters_mgmt\/v1\/clusters within 0\.5s \(3 attempts\) — /)
    expect(Date.now() - started).to.be.lessThan(9000)
  })

  it('an invalid BACKPLANE_TIMEOUT is a usage error', async () => {
    const r = await backplane(['login', SEED.demo.name], userHome(s.sim, {BACKPLANE_TIMEOUT: 'soon'}).env)
    expect(r.code).to.equal(2)
    expect(r.stderr).to.equal('Error: invalid BACKPLANE_TIMEOUT "soon" — give a number of seconds above 0 and at most 86400 (one day), e.g. 30\n')
  })
})
