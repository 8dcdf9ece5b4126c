import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {SEED} from '../../src/simulator/index.js'
import {createHttp} from '../../src/lib/http/client.js'
import {isLoopbackHost} from '../../src/lib/http/tls.js'
import {backplane} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useHomes, useSimulator} from '../support/sim.js'

/** A plain-http server on 127.0.0.1 that records what it is sent and answers with `answer`. */
async function plainServer(answer: (path: string) => unknown): Promise<{headers: IncomingHttpHeaders[]; paths: string[]; server: Server; url: string}> {
  const headers: IncomingHttpHeaders[] = []
  const paths: string[] = []
  const server = createServer((req, res) => {
    headers.push(req.headers)
    paths.push(req.url ?? '')
    req.resume()
    req.on('end', () => {
      const body = JSON.stringify(answer(req.url ?? ''))
      res.writeHead(200, {'Content-Length': Buffer.byteLength(body), 'Content-Type': 'application/json'})
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {headers, paths, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}
}

describe('tokens only over TLS', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const home = useHomes(s)

  afterEach(() => {
    s.sim.setFault('GET /api/clusters_mgmt/v1/environment', undefined)
    s.sim.setFault('GET /api/clusters_mgmt/v1/clusters', undefined)
  })

  const backplaneRequests = (from: number) => s.sim.requests.slice(from).filter((q) => q.path.startsWith('/backplane/'))

  it('an http:// backplane URL from --url, BACKPLANE_URL, the config or the OCM environment is a clear error naming its source', async () => {
    const plain = 'http://backplane.example.invalid'
    const hint = (source: string) => `use an https:// URL in ${source} (plain http:// only to 127.0.0.1, ::1 or localhost)`
    const refused = (source: string) => `refusing to send the OCM token over plain http to http://backplane.example.invalid: the backplane URL from ${source} is not https://`

    let r = await backplane(['login', SEED.demo.name, '--url', plain], home().env)
    expectOneErrorLine(r, 2, `Error: ${refused('--url')} — ${hint('--url')}`)

    r = await backplane(['login', SEED.demo.name], home({BACKPLANE_URL: plain}).env)
    expectOneErrorLine(r, 1, `Error: ${refused('BACKPLANE_URL')} — ${hint('BACKPLANE_URL')}`)

    const u = home()
    const config = JSON.parse(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8'))
    writeFileSync(u.env.BACKPLANE_CONFIG!, JSON.stringify({...config, url: plain}))
    // Config url is used (as in Go) only when the OCM environment advertises no backplane_url.
    s.sim.setFault('GET /api/clusters_mgmt/v1/environment', {body: JSON.stringify({name: 'simulator'}), status: 200})
    r = await backplane(['login', SEED.demo.name], u.env)
    s.sim.setFault('GET /api/clusters_mgmt/v1/environment', undefined)
    // The deprecation warning, then the one error line.
    const source = `url in ${u.env.BACKPLANE_CONFIG} (deprecated)`
    expect(r.code, r.stderr).to.equal(1)
    expect(r.stderr.trimEnd().split('\n').at(-1)).to.equal(`Error: ${refused(source)} — ${hint(source)}`)

    // A compromised OCM downgrading the backplane URL it advertises.
    s.sim.setFault('GET /api/clusters_mgmt/v1/environment', {body: JSON.stringify({backplane_url: plain, name: 'simulator'}), status: 200})
    const from = s.sim.requests.length
    r = await backplane(['login', SEED.demo.name], home().env)
    expectOneErrorLine(r, 1, `Error: ${refused("the OCM environment's backplane_url")} — set --url or BACKPLANE_URL to an https:// URL, or check the OCM environment (OCM_URL)`)
    expect(backplaneRequests(from)).to.deep.equal([])
  })

  it('an http:// OCM url (config or OCM_URL) or SSO token_url is a clear error, before any request', async () => {
    const u = home()
    const ocm = JSON.parse(readFileSync(u.ocmConfig, 'utf8'))
    writeFileSync(u.ocmConfig, JSON.stringify({...ocm, url: 'http://api.example.invalid'}))
    const from = s.sim.requests.length
    let r = await backplane(['login', SEED.demo.name], u.env)
    expectOneErrorLine(r, 1, `Error: refusing to send the OCM token over plain http to http://api.example.invalid: the OCM URL from url in ${u.ocmConfig} is not https:// — use an https:// URL in url in ${u.ocmConfig} (plain http:// only to 127.0.0.1, ::1 or localhost)`)

    r = await backplane(['login', SEED.demo.name], home({OCM_URL: 'http://api.example.invalid'}).env)
    expectOneErrorLine(r, 1, /^Error: refusing to send the OCM token over plain http to http:\/\/api\.example\.invalid: the OCM URL from OCM_URL is not https:\/\/ — /)

    const v = home()
    writeFileSync(v.ocmConfig, JSON.stringify({...ocm, token_url: 'http://sso.example.invalid/token'}))
    r = await backplane(['login', SEED.demo.name], v.env)
    expectOneErrorLine(r, 1, /^Error: refusing to send the OCM token over plain http to http:\/\/sso\.example\.invalid: the SSO token URL from token_url in .* is not https:\/\/ — /)
    expect(s.sim.requests.length).to.equal(from)
  })

  it('plain http:// to this machine (127.0.0.0/8, ::1, localhost) is allowed', async () => {
    const fake = await plainServer((path) => ({proxy_uri: `/backplane/cluster/${path.split('/').pop()}/`}))
    try {
      const u = home({BACKPLANE_URL: fake.url})
      const r = await backplane(['login', SEED.demo.name, '--no-sessions'], u.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(fake.paths).to.deep.equal([`/backplane/login/${SEED.demo.id}`])
      expect(fake.headers[0].authorization).to.match(/^Bearer /)
    } finally {
      fake.server.close()
    }

    for (const host of ['127.0.0.1', '127.3.4.5', 'localhost', 'LOCALHOST', '[::1]', '::1']) expect(isLoopbackHost(host), host).to.equal(true)
    for (const host of ['128.0.0.1', 'localhost.example.com', '127.0.0.1.nip.io', '::2', '10.0.0.1']) expect(isLoopbackHost(host), host).to.equal(false)
  })

  it('the HTTP layer itself refuses a token (Authorization header or a token form) to plain http:// that is not loopback', async () => {
    const http = await createHttp({service: 'PagerDuty', userAgent: 'test'})
    for (const call of [
      () => http.getJson('http://pd.example.invalid/incidents', {headers: {Authorization: 'Token token=x'}}),
      () => http.postJson('http://sso.example.invalid/token', {form: {refresh_token: 'x'}}),
      () => http.openStream('http://bp.example.invalid/logs', {headers: {authorization: 'Bearer x'}}),
    ]) {
      const error = await call().then(
        () => undefined,
        (error_: unknown) => error_ as {code?: string; message: string},
      )
      expect(error?.code, error?.message).to.equal('INSECURE_URL')
      expect(error?.message).to.match(/^refusing to send a token to http:\/\/\w+\.example\.invalid over plain http$/)
    }
  })

  it('a redirect to another origin drops the Authorization header', async () => {
    const other = await plainServer(() => ({items: []}))
    try {
      s.sim.setFault('GET /api/clusters_mgmt/v1/clusters', {headers: {Location: `${other.url}/api/clusters_mgmt/v1/clusters`}, status: 302, times: 1})
      const r = await backplane(['login', SEED.demo.name], home().env)
      expect(r.code).to.equal(1)
      expect(other.paths).to.have.length(1)
      expect(other.headers[0].authorization).to.equal(undefined)
    } finally {
      other.server.close()
    }
  })
})
