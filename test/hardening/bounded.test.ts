import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {SEED} from '../../src/simulator/index.js'
import {backplane, RUN, runProgram, userHome, type UserHome} from '../support/cli.js'
import {startConnectProxy} from '../support/proxy.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const SEARCH = 'GET /api/clusters_mgmt/v1/clusters'

describe('hostile or broken replies are bounded', function () {
  this.timeout(120_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  let scratch: string
  const home = (extra: Record<string, string> = {}) => {
    const u = userHome(s.sim, extra)
    homes.push(u)
    return u
  }

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'bp-bounded-'))
  })
  after(() => {
    for (const u of homes) rmSync(u.home, {force: true, recursive: true})
    rmSync(scratch, {force: true, recursive: true})
  })
  afterEach(() => {
    s.sim.setFault(SEARCH, undefined)
    s.sim.setFault('POST /backplane/login/', undefined)
    s.sim.setFault(`GET /backplane/script/${SEED.demo.id}/job/`, undefined)
  })

  /** backplane <args> under GNU time: the result and the peak RSS in MB. */
  async function measured(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000) {
    const file = join(scratch, `rss-${Date.now()}`)
    const r = await runProgram('/usr/bin/time', ['-f', '%M', '-o', file, process.execPath, RUN, ...args], env, {timeoutMs})
    return {...r, rssMb: Number(readFileSync(file, 'utf8').trim().split('\n').at(-1)) / 1024}
  }

  it('an endless JSON body stops at 32 MiB: one line, bounded memory', async () => {
    s.sim.setFault(SEARCH, {endless: true, status: 200})
    const started = Date.now()
    const r = await measured(['login', SEED.demo.name], home().env)
    expectOneErrorLine(r, 1, /^Error: OCM answered GET https:\/\/127\.0\.0\.1:\d+\/api\/clusters_mgmt\/v1\/clusters with more than 32 MiB; stopped reading — /)
    expect(r.rssMb).to.be.below(400)
    expect(Date.now() - started).to.be.below(30_000)
  })

  it('a gzip bomb (1 MB that inflates to 1 GiB) stops at 32 MiB after decompression', async () => {
    s.sim.setFault(SEARCH, {gzipBombBytes: 1024 * 1024 * 1024, status: 200})
    const r = await measured(['login', SEED.demo.name], home().env)
    expectOneErrorLine(r, 1, /^Error: OCM answered GET \S+\/api\/clusters_mgmt\/v1\/clusters with more than 32 MiB; stopped reading — /)
    expect(r.rssMb).to.be.below(400)
  })

  it('an endless error body is capped too', async () => {
    s.sim.setFault('POST /backplane/login/', {body: 'x'.repeat(64 * 1024), contentType: 'text/html', endless: true, status: 500})
    const r = await backplane(['login', SEED.demo.name], home().env, {timeoutMs: 60_000})
    expectOneErrorLine(r, 1, /^Error: backplane answered POST \S+\/backplane\/login\/\w+ with more than 32 MiB; stopped reading — /)
  })

  it('a JSON answer that stalls after its headers times out (each attempt, the body included), saying what', async () => {
    s.sim.setFault(SEARCH, {body: '{"items": [', stallAfterHeaders: true, status: 200})
    const started = Date.now()
    const r = await backplane(['login', SEED.demo.name], home({BACKPLANE_TIMEOUT: '1'}).env, {timeoutMs: 40_000})
    expectOneErrorLine(r, 1, /^Error: OCM at https:\/\/127\.0\.0\.1:\d+ answered GET \/api\/clusters_mgmt\/v1\/clusters but did not send the whole body within 1s \(3 attempts\) — /)
    // 3 attempts of 1 s and the backoff between them (1 s, 2 s): bounded, retries included.
    expect(Date.now() - started).to.be.below(15_000)
  })

  it('a health probe reads only the status: an endless /healthz body does not stall proxy selection', async () => {
    const [a, b] = await Promise.all([startConnectProxy(), startConnectProxy()])
    try {
      s.sim.setFault('GET /healthz', {endless: true, status: 200})
      const u = home()
      const config = JSON.parse(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8'))
      writeFileSync(u.env.BACKPLANE_CONFIG!, JSON.stringify({...config, 'proxy-url': [a.url, b.url]}))
      const started = Date.now()
      const r = await measured(['login', SEED.demo.name], u.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(Date.now() - started).to.be.below(4000)
      expect(r.rssMb).to.be.below(400)
    } finally {
      s.sim.setFault('GET /healthz', undefined)
      await Promise.all([a.stop(), b.stop()])
    }
  })

  describe('managedjob logs', () => {
    let u: UserHome
    before(async () => {
      u = home()
      expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    })

    it('without -f, a log stream that stalls after the headers ends with a TIMEOUT line, not a hang', async () => {
      const prefix = `GET /backplane/script/${SEED.demo.id}/job/`
      s.sim.setFault(prefix, {body: 'first line\n', contentType: 'application/octet-stream', stallAfterHeaders: true, status: 200})
      const started = Date.now()
      const r = await backplane(['managedjob', 'logs', 'job-stalled01'], {...u.env, BACKPLANE_TIMEOUT: '1'}, {timeoutMs: 20_000})
      expect(r.signal).to.equal(null)
      expectOneErrorLine(r, 1, /^Error: backplane at https:\/\/127\.0\.0\.1:\d+ answered GET \/backplane\/script\/\w+\/job\/job-stalled01\/logs but sent nothing more for 1s — /, {stdoutAllowed: true})
      expect(r.stdout).to.equal('first line\n')
      expect(Date.now() - started).to.be.below(10_000)
    })

    it('the JSON form of the logs is capped like any buffered answer', async () => {
      s.sim.setFault(`GET /backplane/script/${SEED.demo.id}/job/`, {body: '{"logs":"' + 'y'.repeat(1024 * 1024), endless: true, status: 200})
      const r = await backplane(['managedjob', 'logs', 'job-huge0001'], u.env, {timeoutMs: 60_000})
      expectOneErrorLine(r, 1, /^Error: backplane answered GET \S+\/logs with more than 32 MiB; stopped reading — /)
    })
  })

  it('BACKPLANE_TIMEOUT out of range (0, negative, more than a day, what overflows Node timers) is a usage error', async () => {
    for (const value of ['0', '-1', '86401', '2147484', ' ', 'Infinity']) {
      const r = await backplane(['login', SEED.demo.name], home({BACKPLANE_TIMEOUT: value}).env)
      expectOneErrorLine(r, 2, `Error: invalid BACKPLANE_TIMEOUT "${value}" — give a number of seconds above 0 and at most 86400 (one day), e.g. 30`)
    }
  })
})
