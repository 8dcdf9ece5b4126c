import {expect} from 'chai'
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {withFileLock} from '../../../src/lib/fs/lock.js'

describe('file lock', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'bp-lock-')), 'config')

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
})
