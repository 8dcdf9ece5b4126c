import {expect} from 'chai'
import {rmSync} from 'node:fs'

import {makeCluster, SEED} from '../../src/simulator/index.js'
import {type SimScript} from '../../src/simulator/scripts.js'
import {backplane, userHome, type UserHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const ESC = '\u001b'
// Clear the screen, retitle the terminal, an 8-bit CSI, a bidi override, a forged second line.
const HOSTILE = `${ESC}[2J${ESC}]0;pwned\u0007\u009b31m\u202eevil\nError: forged`
const SHOWN = '\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202eevil\\nError: forged'
const RAW = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202E]/

describe('hostile text: control characters from the servers are shown as escapes', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let u: UserHome
  const hostileId = 'h0st11e0000000000000000000000000'
  before(async () => {
    s.sim.clusters.push(makeCluster({externalId: '00000000-0000-4000-8000-0000000e5c00', id: hostileId, name: 'hostile'}))
    const cluster = s.sim.clusters.find((c) => c.id === hostileId)!
    cluster.region.id = `us-east-1${HOSTILE}`
    const script: SimScript = {
      allowedGroups: ['sre'],
      author: `mallory${HOSTILE}`,
      canonicalName: 'sre/hostile',
      customerDataAccess: false,
      description: `line one${ESC}[31m\nline two${ESC}]8;;http://x${ESC}\\`,
      envs: [{description: `the key${ESC}[5m`, key: 'KEY', optional: true}],
      labels: [],
      language: 'bash',
      path: 'scripts/sre/hostile/script.sh',
      permalink: 'https://example.invalid/hostile',
      run: () => ({fail: false, line: (i) => [`raw ${ESC}[32mgreen${ESC}[0m`, `bell\u0007`][i] ?? '', lines: 2}),
      shortDescription: `short${HOSTILE}`,
      userMayRun: true,
    }
    s.sim.scripts.scripts.push(script)
    u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
  })
  after(() => {
    rmSync(u.home, {force: true, recursive: true})
  })
  afterEach(() => {
    s.sim.setFault('POST /backplane/login/', undefined)
    s.sim.setFault(`GET /backplane/script/${SEED.demo.id}`, undefined)
  })

  it('login --cluster-info: the region as an escape, one line per field', async () => {
    const v = userHome(s.sim)
    try {
      const r = await backplane(['login', hostileId, '--cluster-info'], v.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).not.to.match(RAW)
      expect(r.stdout.split('\n').find((l) => l.startsWith('Region:'))?.replace(/^Region:\s+/, '')).to.equal(`us-east-1${SHOWN}`)
      expect(r.stdout.split('\n').filter((l) => l.includes('forged'))).to.have.length(1)
    } finally {
      rmSync(v.home, {force: true, recursive: true})
    }
  })

  it('script list (table) and script describe (key/value block): escapes, the description keeps its lines', async () => {
    const list = await backplane(['script', 'list'], u.env)
    expect(list.code, list.stderr).to.equal(0)
    expect(list.stdout).not.to.match(RAW)
    expect(list.stdout).to.match(/sre\/hostile\s+short\\x1b\[2J\\x1b\]0;pwned\\x07\\x9b31m\\u202eevil\n/)

    const d = await backplane(['script', 'describe', 'sre/hostile'], u.env)
    expect(d.code, d.stderr).to.equal(0)
    expect(d.stdout).not.to.match(RAW)
    expect(d.stdout).to.include(`${'Author:'.padEnd(16)}mallory${SHOWN}\n`)
    expect(d.stdout).to.include(`${'Description:'.padEnd(16)}line one\\x1b[31m\n${' '.repeat(16)}line two\\x1b]8;;http://x\\x1b\\\n`)
    expect(d.stdout).to.include('KEY  the key\\x1b[5m')
  })

  it('--json passes the same data through unchanged', async () => {
    const d = await backplane(['script', 'describe', 'sre/hostile', '--json'], u.env)
    expect(d.code, d.stderr).to.equal(0)
    expect(JSON.parse(d.stdout).author).to.equal(`mallory${HOSTILE}`)
  })

  it('raw job logs pass through byte for byte; the job message is escaped', async () => {
    s.sim.setFault(`POST /backplane/script/${SEED.demo.id}/job`, {body: JSON.stringify({jobId: 'job-hostile01', message: `created${HOSTILE}`}), status: 200, times: 1})
    const c = await backplane(['managedjob', 'create', 'sre/hostile'], u.env)
    s.sim.setFault(`POST /backplane/script/${SEED.demo.id}/job`, undefined)
    expect(c.code, c.stderr).to.equal(0)
    expect(c.stdout).to.equal(`created${SHOWN}\nJobId: job-hostile01\n`)

    const id = JSON.parse((await backplane(['managedjob', 'create', 'sre/hostile', '--json'], u.env)).stdout).jobId
    const r = await backplane(['managedjob', 'logs', id, '-f'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(`raw ${ESC}[32mgreen${ESC}[0m\nbell\u0007\n`)
  })

  it('error messages and HTTP reason phrases: one escaped line', async () => {
    s.sim.setFault('POST /backplane/login/', {body: JSON.stringify({message: `denied${HOSTILE}`, statusCode: 403}), status: 403, times: 1})
    let r = await backplane(['login', SEED.demo.name], u.env)
    expectOneErrorLine(r, 1, `Error: backplane answered 403 Forbidden: denied${SHOWN.replace('\\n', ' ')} — ask for access to this cluster, or check that you are logged in to the right OCM environment`)

    s.sim.setFault('POST /backplane/login/', {body: '', status: 418, statusMessage: 'Teapot\u009b2J\u00ff', times: 1})
    r = await backplane(['login', SEED.demo.name], u.env)
    expectOneErrorLine(r, 1, /^Error: backplane answered 418 Teapot\\x9b2J\u00ff with an empty body — /)
  })

  it('an argument with a newline is one error line; a 100 KB argument is shortened', async () => {
    let r = await backplane(['login', 'abc\ndef'], u.env)
    expectOneErrorLine(r, 2, `Error: invalid cluster "abc\\ndef" — give a cluster id, external id, name, or a name pattern such as %prod%`)

    const huge = 'x'.repeat(100 * 1024)
    r = await backplane(['login', huge], u.env)
    expectOneErrorLine(r, 2, /^Error: invalid cluster "x{56}…\(102321 more characters\)…x{23}" — give a cluster id/)

    r = await backplane(['managedjob', 'logs', `job${ESC}[2J\nx`], u.env)
    expectOneErrorLine(r, 2, /^Error: invalid job id "job\\x1b\[2J\\nx" — /)
  })
})
