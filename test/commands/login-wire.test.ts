import {expect} from 'chai'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'

import {SEED} from '../../src/simulator/index.js'
import {backplane, ROOT, userHome, type UserHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string

describe('login: Backplane-Version, Deprecated-Client, and what is down when backplane cannot be reached', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  afterEach(() => {
    for (const u of homes.splice(0)) rmSync(u.home, {force: true, recursive: true})
  })

  function user(extra: Record<string, string> = {}): UserHome {
    const u = userHome(s.sim, extra)
    homes.push(u)
    return u
  }

  it('sends Backplane-Version; a Deprecated-Client answer warns once per version, remembered across runs', async () => {
    const u = user()
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const post = s.sim.requests.filter((q) => q.path.startsWith('/backplane/login/')).at(-1)!
    expect(post.headers['backplane-version']).to.equal(version)
    expect(r.stderr).to.equal('')

    s.sim.deprecatedClientVersions.add(version)
    try {
      const first = await backplane(['login', SEED.demo.name], u.env)
      expect(first.code, first.stderr).to.equal(0)
      expect(first.stderr).to.equal(`Warning: backplane says this CLI version (${version}) is deprecated — update it as soon as possible\n`)
      expect(existsSync(join(u.home, '.cache', 'backplane', 'deprecated-client.json'))).to.equal(true)
      const second = await backplane(['login', SEED.demo.name], u.env)
      expect(second.code, second.stderr).to.equal(0)
      expect(second.stderr).to.equal('')
    } finally {
      s.sim.deprecatedClientVersions.delete(version)
    }
  })

  it('a login POST that cannot connect says whether the proxy or backplane is down, and points to healthcheck', async () => {
    // A proxy that is down: nothing listens on its port.
    const down = user({BACKPLANE_URL: s.sim.backplaneUrl})
    const closed = await new Promise<Server>((resolve) => {
      const srv = createServer()
      srv.listen(0, '127.0.0.1', () => resolve(srv))
    })
    const port = (closed.address() as {port: number}).port
    await new Promise((resolve) => closed.close(resolve))
    expectOneErrorLine(
      await backplane(['login', SEED.demo.name, '--proxy', `http://127.0.0.1:${port}`], down.env),
      1,
      new RegExp(`: the proxy http://127\\.0\\.0\\.1:${port} is unreachable — run \`backplane healthcheck\``),
    )

    // Backplane itself cut the connection of the login, but its health check answers: retry.
    const u = user()
    s.sim.setFault('POST /backplane/login/', {destroy: true})
    try {
      expectOneErrorLine(await backplane(['login', SEED.demo.name], u.env), 1, /backplane at https:\/\/127\.0\.0\.1:\d+ answers its health check now \(HTTP 200\), so retry — run `backplane healthcheck`/)
    } finally {
      s.sim.setFault('POST /backplane/login/', undefined)
    }

    // Backplane unreachable, no proxy.
    const gone = user({BACKPLANE_URL: `https://127.0.0.1:${port}`})
    expectOneErrorLine(await backplane(['login', SEED.demo.name], gone.env), 1, new RegExp(`backplane at https://127\\.0\\.0\\.1:${port} is unreachable — run \`backplane healthcheck\``))
  })
})
