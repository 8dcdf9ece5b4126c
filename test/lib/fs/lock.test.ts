import {expect} from 'chai'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {writeFileAtomic} from '../../../src/lib/fs/atomic.js'
import {processStartTime, withFileLock} from '../../../src/lib/fs/lock.js'

describe('file lock', () => {
  const dirs: string[] = []
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bp-lock-'))
    dirs.push(dir)
    return join(dir, 'config')
  }

  after(() => {
    for (const dir of dirs) rmSync(dir, {force: true, recursive: true})
  })

  it('serialises writers: each read-modify-write runs alone', async () => {
    const path = file()
    let inside = 0
    let maxInside = 0
    await Promise.all(
      Array.from({length: 20}, () =>
        withFileLock(path, async () => {
          inside++
          maxInside = Math.max(maxInside, inside)
          await new Promise((r) => setTimeout(r, 2))
          inside--
        }),
      ),
    )
    expect(maxInside).to.equal(1)
    expect(existsSync(`${path}.lock`)).to.equal(false)
  })

  it('takes over a lock whose owner process is gone', async () => {
    const path = file()
    writeFileSync(`${path}.lock`, '999999999\n')
    expect(await withFileLock(path, async () => 'ran')).to.equal('ran')
  })

  it('gives up after a bounded wait with a clear error naming the holder', async () => {
    const path = file()
    writeFileSync(`${path}.lock`, `${process.pid}\n`)
    const started = Date.now()
    try {
      await withFileLock(path, async () => 'ran', {timeoutMs: 300})
      expect.fail('should not take the lock')
    } catch (error) {
      expect((error as Error).message).to.equal(`${path} is locked by another process (pid ${process.pid})`)
      expect(Date.now() - started).to.be.within(250, 2000)
    }
  })

  it('treats an empty lock file (kubectl\'s) as held until it is old', async () => {
    const path = file()
    writeFileSync(`${path}.lock`, '')
    try {
      await withFileLock(path, async () => 'ran', {staleMs: 60_000, timeoutMs: 150})
      expect.fail('should wait for kubectl')
    } catch (error) {
      expect((error as Error).message).to.match(/is locked by another process$/)
    }

    expect(await withFileLock(path, async () => 'ran', {staleMs: 0, timeoutMs: 150})).to.equal('ran')
  })

  it('writes "<pid> <start time> <nonce>" into the lock while held, and removes it after', async () => {
    const path = file()
    const seen = await withFileLock(path, async () => readFileSync(`${path}.lock`, 'utf8'))
    const [pid, start, nonce] = seen.trim().split(' ')
    expect(Number(pid)).to.equal(process.pid)
    if (process.platform === 'linux') expect(start).to.equal(processStartTime(process.pid))
    expect(nonce).to.match(/^[\da-f]{16}$/)
    expect(readdirSync(dirname(path))).to.deep.equal([])
  })

  it('takes over a lock whose pid now belongs to another process (its start time differs)', async function () {
    if (process.platform !== 'linux') this.skip()
    const path = file()
    // Our own pid is alive, but with another start time it is not the process that wrote the lock.
    writeFileSync(`${path}.lock`, `${process.pid} 1 0123456789abcdef\n`)
    expect(await withFileLock(path, async () => 'ran', {timeoutMs: 2000})).to.equal('ran')
  })

  it('an empty lock (a crash or a full disk between create and write) blocks for about 2 s, not a minute', async () => {
    const path = file()
    writeFileSync(`${path}.lock`, '')
    const started = Date.now()
    expect(await withFileLock(path, async () => 'ran', {timeoutMs: 10_000})).to.equal('ran')
    expect(Date.now() - started).to.be.within(1500, 6000)
  })

  it('release leaves a lock that is no longer ours in place', async () => {
    const path = file()
    await withFileLock(path, async () => {
      writeFileSync(`${path}.lock`, '1 2 someone-else\n')
    })
    expect(readFileSync(`${path}.lock`, 'utf8')).to.equal('1 2 someone-else\n')
  })

  it('a leftover takeover file of a dead taker does not block the takeover of a stale lock', async () => {
    const path = file()
    writeFileSync(`${path}.lock`, '999999999 1 aaaa\n')
    writeFileSync(`${path}.lock.takeover`, '999999998 1 bbbb\n')
    expect(await withFileLock(path, async () => 'ran', {timeoutMs: 3000})).to.equal('ran')
    expect(readdirSync(dirname(path))).to.deep.equal([])
  })
})

describe('atomic write: temp files of killed writers', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bp-atomic-'))))
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('the next successful write removes the temp files of writers that no longer run, and keeps live ones', async () => {
    const path = join(dir, 'config')
    const dead = ['.config.999999999.0badf00d.tmp', '.config.lock.999999999.0badf00d.tmp']
    // The parent (mocha's shell) runs: a temp file of a live writer stays.
    const live = `.config.${process.ppid}.0badf00d.tmp`
    const unrelated = ['.other.999999999.0badf00d.tmp', '.config.999999999.notes']
    for (const f of [...dead, live, ...unrelated]) writeFileSync(join(dir, f), 'partial')
    await writeFileAtomic(path, 'new\n')
    expect(readFileSync(path, 'utf8')).to.equal('new\n')
    expect(readdirSync(dir).sort()).to.deep.equal(['config', live, ...unrelated].sort())
  })
})
