import {promises as fsp} from 'node:fs'
import {dirname} from 'node:path'

import {CliError} from '../errors.js'
import {sleep} from '../process/sleep.js'
import {fileError} from './atomic.js'

export interface LockOptions {
  /** Give up after this long (default 10 s, BACKPLANE_LOCK_TIMEOUT seconds). */
  timeoutMs?: number
  /** A lock file older than this whose owner cannot be checked is taken as stale (default 60 s). */
  staleMs?: number
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Is the lock left over by a process that no longer runs (or so old that nobody holds it)? */
async function isStale(lockPath: string, staleMs: number): Promise<{owner?: number; stale: boolean}> {
  try {
    const [text, stat] = await Promise.all([fsp.readFile(lockPath, 'utf8'), fsp.stat(lockPath)])
    const owner = Number.parseInt(text.trim(), 10)
    if (Number.isInteger(owner) && owner > 0) return {owner, stale: !alive(owner)}
    // kubectl's own lock file (same name) is empty: judge it by age.
    return {stale: Date.now() - stat.mtimeMs > staleMs}
  } catch {
    return {stale: false}
  }
}

/**
 * Hold `<path>.lock` (the lock file kubectl uses too) around a read-modify-write of `path`,
 * waiting a bounded time for another writer. A lock left by a killed process is taken over.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.BACKPLANE_LOCK_TIMEOUT) * 1000 || 10_000)
  const staleMs = opts.staleMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  let owner: number | undefined
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fsp.open(lockPath, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      break
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') {
        await fsp.mkdir(dirname(lockPath), {mode: 0o700, recursive: true}).catch((mkdirError) => {
          throw fileError(mkdirError, dirname(lockPath), 'create directory')
        })
        continue
      }

      if (code !== 'EEXIST') throw fileError(error, lockPath, 'create lock file')
      const state = await isStale(lockPath, staleMs)
      owner = state.owner
      if (state.stale) {
        await fsp.rm(lockPath, {force: true})
        continue
      }

      if (Date.now() >= deadline) {
        throw new CliError(`${path} is locked by another process${owner ? ` (pid ${owner})` : ''}`, {
          code: 'LOCKED',
          hint: `retry; if nothing else is writing it, remove ${lockPath}`,
        })
      }

      await sleep(Math.min(10 + attempt * 5, 50) + Math.random() * 10)
    }
  }

  try {
    return await fn()
  } finally {
    await fsp.rm(lockPath, {force: true})
  }
}
