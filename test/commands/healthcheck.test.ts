import {expect} from 'chai'

import {interfaceSource, vpnInterfaces} from '../../src/lib/diagnose/interfaces.js'
import {backplane, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {deadPort, startConnectProxy, type ConnectProxy} from '../support/proxy.js'
import {useSimulator} from '../support/sim.js'

const LINE = /^\[(V|X|-)\] (VPN connectivity|Proxy connectivity|Backplane API): .+ \(\d+ ms\)$/

describe('healthcheck', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let proxy: ConnectProxy
  let dead: string
  before(async () => {
    proxy = await startConnectProxy()
    dead = `http://127.0.0.1:${await deadPort()}`
  })
  after(() => proxy.stop())

  function home(interfaces: string, keys: Record<string, unknown> = {}): UserHome {
    const u = userHome(s.sim, {BACKPLANE_TEST_INTERFACES: interfaces, BACKPLANE_URL: s.sim.backplaneUrl})
    editBackplaneConfig(u, {'vpn-check-endpoint': `${s.sim.url}/healthz`, ...keys})
    return u
  }

  it('all three pass: VPN interface and endpoint, every proxy of the list probed, backplane through the proxy', async () => {
    const u = home('lo,tun0,eth0', {'proxy-url': [dead, proxy.url], 'proxy-check-endpoint': `${s.sim.url}/healthz`})
    const from = proxy.connects.length
    const r = await backplane(['healthcheck'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(3)
    for (const l of lines) expect(l).to.match(LINE)
    expect(lines[0]).to.match(/^\[V\] VPN connectivity: tun0 up; https:\/\/127\.0\.0\.1:\d+\/healthz answered 200 \(\d+ ms\)$/)
    expect(lines[1]).to.include('[V] Proxy connectivity: 1 of 2 answered')
    expect(lines[1]).to.include(`${dead} failed (`)
    expect(lines[1]).to.include(`${proxy.url} ok (200)`)
    expect(lines[2]).to.match(new RegExp(`^\\[V\\] Backplane API: ${s.sim.backplaneUrl} answered \\(HTTP \\d+\\) through ${proxy.url} `))
    // the proxy check and the backplane check both went through the live proxy
    expect(proxy.connects.length - from).to.equal(2)
    const head = s.sim.requests.filter((q) => q.method === 'HEAD' && q.path === '/')
    expect(head.length).to.be.greaterThan(0)
  })

  it('no VPN interface: [X] with what to do, exit 1; --json gives [{check, ok, status, ms, detail}]', async () => {
    const u = home('lo,eth0,docker0')
    const r = await backplane(['healthcheck', '--vpn'], u.env)
    expect(r.code).to.equal(1)
    expect(r.stdout).to.match(/^\[X\] VPN connectivity: no VPN interface \(tun\*, tap\*, ppp\*, wg\*, utun\*; found: lo, eth0, docker0\) — connect to the VPN, then rerun \(\d+ ms\)\n$/)
    const j = await backplane(['healthcheck', '--vpn', '--json'], u.env)
    expect(j.code).to.equal(1)
    const [only, ...rest] = JSON.parse(j.stdout)
    expect(rest).to.deep.equal([])
    expect(only).to.include({check: 'VPN connectivity', ok: false, status: 'failed'})
    expect(only.ms).to.be.a('number')
    expect(only.detail).to.match(/^no VPN interface/)
  })

  it('each VPN prefix counts (tun, tap, ppp, wg, utun), others do not', () => {
    expect(vpnInterfaces(['tun3', 'tap0', 'ppp0', 'wg0', 'utun4', 'eth0', 'en0', 'lo', 'wlan0'])).to.deep.equal(['tun3', 'tap0', 'ppp0', 'wg0', 'utun4'])
  })

  it('the interface seam: BACKPLANE_TEST_INTERFACES wins, else os.networkInterfaces()', () => {
    expect(interfaceSource.names({BACKPLANE_TEST_INTERFACES: 'wg0, eth0,'})).to.deep.equal(['wg0', 'eth0'])
    expect(interfaceSource.names({})).to.include('lo')
  })

  it('VPN interface up but the endpoint does not answer 200: [X] that says so', async () => {
    const u = home('wg0', {'vpn-check-endpoint': `${s.sim.url}/no-such-page`})
    const r = await backplane(['healthcheck', '--vpn'], u.env)
    expect(r.code).to.equal(1)
    expect(r.stdout).to.match(/^\[X\] VPN connectivity: wg0 up, but https:\/\/127\.0\.0\.1:\d+\/no-such-page answered 404 \(expected 200\) — reconnect the VPN/)
  })

  it('--proxy: only the proxy check; no proxy answering fails with the config hint', async () => {
    const u = home('eth0', {'proxy-url': [dead]})
    const r = await backplane(['healthcheck', '--proxy'], u.env)
    expect(r.code).to.equal(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(1)
    expect(lines[0]).to.match(new RegExp(`^\\[X\\] Proxy connectivity: 0 of 1 answered ${s.sim.backplaneUrl}/healthz: ${dead} failed \\(.*\\) — check proxy-url in the backplane config`))
  })

  it('no proxy configured: the proxy check is skipped and backplane is checked directly', async () => {
    const u = home('tun0')
    const r = await backplane(['healthcheck'], u.env)
    expect(r.code, r.stdout).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[1]).to.match(/^\[-\] Proxy connectivity: skipped \(no proxy configured: backplane is reached directly\) \(\d+ ms\)$/)
    expect(lines[2]).to.match(/^\[V\] Backplane API: .* answered \(HTTP \d+\) \(\d+ ms\)$/)
  })

  it('a backplane that does not answer fails the last check; a failed proxy check skips it', async () => {
    const down = `http://127.0.0.1:${await deadPort()}`
    const u = home('tun0', {})
    const r = await backplane(['healthcheck'], {...u.env, BACKPLANE_URL: down})
    expect(r.code).to.equal(1)
    expect(r.stdout.trimEnd().split('\n')[2]).to.match(new RegExp(`^\\[X\\] Backplane API: ${down}: cannot reach backplane at ${down} \\(connection refused\\) — check the backplane URL`))
    const v = home('tun0', {'proxy-url': dead})
    const r2 = await backplane(['healthcheck'], v.env)
    expect(r2.code).to.equal(1)
    expect(r2.stdout.trimEnd().split('\n')[2]).to.match(/^\[-\] Backplane API: skipped \(no configured proxy answered\)/)
  })

  it('answers to its aliases', async () => {
    const u = home('tun0')
    for (const alias of ['healthCheck', 'health-check', 'healthchecks']) {
      const r = await backplane([alias, '--vpn'], u.env)
      expect(r.code, `${alias}: ${r.stderr}`).to.equal(0)
      expect(r.stdout).to.match(/^\[V\] VPN connectivity/)
    }
  })
})
