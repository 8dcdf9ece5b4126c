import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'

import {SEED} from '../../src/simulator/index.js'
import {backplane, RUN} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {deadPort, startConnectProxy} from '../support/proxy.js'
import {useHomes, useSimulator} from '../support/sim.js'

const SECRET = 's3cretPw'

describe('small ones: proxy passwords, SIGTERM', function () {
  this.timeout(90_000)
  const s = useSimulator()
  const home = useHomes(s)


  it('a proxy password is masked in error lines (human and --json)', async () => {
    const bad = `http://sre:${SECRET}@[not-a-host`
    let r = await backplane(['login', SEED.demo.name, '--proxy', bad], home().env)
    expectOneErrorLine(r, 2, /^Error: invalid proxy \(--proxy\) "http:\/\/sre:\*{8}@\[not-a-host" — /)
    r = await backplane(['login', SEED.demo.name, '--proxy', bad, '--json'], home().env)
    expect(r.code).to.equal(2)
    expect(JSON.parse(r.stdout).error.message).to.equal('invalid proxy (--proxy) "http://sre:********@[not-a-host"')
    expect(r.stdout + r.stderr).not.to.include(SECRET)
  })

  it('a proxy password is masked in --verbose lines and in what config set prints', async () => {
    const proxy = await startConnectProxy()
    try {
      const u = home()
      const dead = `http://sre:${SECRET}@127.0.0.1:${await deadPort()}`
      const live = proxy.url.replace('://', `://sre:${SECRET}@`)
      const config = JSON.parse(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8'))
      writeFileSync(u.env.BACKPLANE_CONFIG!, JSON.stringify({...config, 'proxy-url': [dead, live]}))
      const r = await backplane(['login', SEED.demo.name, '--verbose'], u.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.include('backplane: proxy http://sre:********@127.0.0.1:')
      expect(r.stdout + r.stderr).not.to.include(SECRET)

      const set = await backplane(['config', 'set', 'proxy-url', `http://sre:${SECRET}@squid.corp:3128`], u.env)
      expect(set.code, set.stderr).to.equal(0)
      expect(set.stdout).to.equal(`Set proxy-url to http://sre:********@squid.corp:3128 in ${u.env.BACKPLANE_CONFIG}.\n`)
    } finally {
      await proxy.stop()
    }
  })

  it('SIGTERM during `managedjob logs -f` exits 143 (SIGINT: 130), quietly', async () => {
    const u = home()
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    s.sim.scripts.configure({pendingMs: 100, runningMs: 30_000})
    let id: string
    try {
      const c = await backplane(['managedjob', 'create', 'sre/selftest', '-p', 'LINES=1000', '--json'], u.env)
      expect(c.code, c.stderr).to.equal(0)
      id = JSON.parse(c.stdout).jobId
    } finally {
      s.sim.scripts.configure({pendingMs: 1500, runningMs: 4000})
    }

    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const child = spawn(process.execPath, [RUN, 'managedjob', 'logs', id, '--follow'], {env: u.env})
      let err = ''
      child.stderr.on('data', (d) => (err += d))
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
      child.kill(signal)
      const [exit, killedBy] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, sig) => resolve([c, sig])))
      expect({exit, killedBy, signal}).to.deep.equal({exit: code, killedBy: null, signal})
      expect(err).to.equal('')
    }
  })
})
