import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {SEED} from '../../src/simulator/index.js'
import {backplane, RUN, userHome, type UserHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

describe('report list|get|create', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let u: UserHome
  let dir: string
  before(async () => {
    u = userHome(s.sim)
    dir = mkdtempSync(join(tmpdir(), 'bp-report-'))
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
  })
  after(() => rmSync(dir, {force: true, recursive: true}))

  it('list: REPORT ID / CREATED / SUMMARY, newest first; --last N is sent as ?last=N; --json', async () => {
    const r = await backplane(['report', 'list'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^REPORT ID\s+CREATED\s+SUMMARY$/)
    expect(lines[1]).to.match(/^r-5e6f7a8b\s+2024-05-03T09:30:00Z\s+upgrade stuck at 4\.15\.3$/)
    expect(lines[2]).to.match(/^r-1a2b3c4d\s+2024-05-01T10:00:00Z\s+must-gather notes: etcd slow$/)
    const j = await backplane(['report', 'list', '-c', SEED.demo.name, '--last', '1', '--json'], u.env)
    expect(JSON.parse(j.stdout)).to.deep.equal([{created_at: '2024-05-03T09:30:00Z', report_id: 'r-5e6f7a8b', summary: 'upgrade stuck at 4.15.3'}])
    expect(s.sim.requests.some((q) => q.path === `/backplane/cluster/${SEED.demo.id}/reports?last=1`)).to.equal(true)
  })

  it('create from a binary file, then get prints exactly those bytes (no newline added)', async () => {
    const bytes = Buffer.concat([randomBytes(4096), Buffer.from([0, 10, 13, 255])])
    const file = join(dir, 'blob.bin')
    writeFileSync(file, bytes)
    const c = await backplane(['report', 'create', '--summary', 'core dump of the router', '--file', file], u.env)
    expect(c.code, c.stderr).to.equal(0)
    const id = c.stdout.trim()
    expect(id).to.match(/^r-[0-9a-f]{8}$/)
    const post = s.sim.requests.filter((q) => q.method === 'POST' && q.path === `/backplane/cluster/${SEED.demo.id}/reports`).at(-1)!
    expect(JSON.parse(post.body)).to.deep.equal({data: bytes.toString('base64'), summary: 'core dump of the router'})

    const got = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn(process.execPath, [RUN, 'report', 'get', id], {env: u.env})
      const out: Buffer[] = []
      child.stdout.on('data', (d: Buffer) => out.push(d))
      child.on('error', reject)
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`exit ${code}`))))
    })
    expect(got.equals(bytes)).to.equal(true)
    const j = JSON.parse((await backplane(['report', 'get', id, '--json'], u.env)).stdout)
    expect(j).to.include({data: bytes.toString('base64'), report_id: id, summary: 'core dump of the router'})
  })

  it('create from stdin with -', async () => {
    const c = await backplane(['report', 'create', '-s', 'events at 03:12', '-'], u.env, {input: 'Warning BackOff pod/web-1\n'})
    expect(c.code, c.stderr).to.equal(0)
    const g = await backplane(['report', 'get', c.stdout.trim()], u.env)
    expect(g.stdout).to.equal('Warning BackOff pod/web-1\n')
  })

  it('bad input is one clear line, before any request', async () => {
    const big = join(dir, 'big.bin')
    writeFileSync(big, Buffer.alloc(10 * 1024 * 1024 + 1))
    const before = s.sim.requests.length
    expectOneErrorLine(await backplane(['report', 'create', '--summary', 'x', '--file', big], u.env), 1, /is larger than 10 MiB, the limit of a report — attach a smaller file/)
    expectOneErrorLine(await backplane(['report', 'create', '--summary', 'x', '-'], u.env, {input: 'x'.repeat(10 * 1024 * 1024 + 5)}), 1, /stdin is larger than 10 MiB/)
    expectOneErrorLine(await backplane(['report', 'create', '--summary', 'x'], u.env), 2, /nothing to attach — give --file PATH, or - to read stdin/)
    expectOneErrorLine(await backplane(['report', 'create', '--summary', 'x', '--file', join(dir, 'missing')], u.env), 2, /does not exist/)
    expectOneErrorLine(await backplane(['report', 'create', '--file', big], u.env), 2, /Missing required flag summary/)
    expectOneErrorLine(await backplane(['report', 'get', '../../login/x'], u.env), 2, /invalid report id "\.\.\/\.\.\/login\/x"/)
    expectOneErrorLine(await backplane(['report', 'list', '--last', '0'], u.env), 2, /last/)
    expect(s.sim.requests.length).to.equal(before)
    expectOneErrorLine(await backplane(['report', 'get', 'r-00000000'], u.env), 1, /no report r-00000000 on cluster .* — see 'backplane report list'/)
  })
})
