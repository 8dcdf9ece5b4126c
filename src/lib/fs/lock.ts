import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {promises as fsp} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {CliError} from '../errors.js'
import {sleep} from '../process/sleep.js'
import {fileError} from './atomic.js'

export interface LockOptions {
  /** Give up after this long (default 10 s, BACKPLANE_LOCK_TIMEOUT seconds). */
  timeoutMs?: number
  /**
   * A lock file that names no owner (empty, unreadable, or not ours: kubectl's own lock is an empty file it
   * holds for milliseconds) is taken as stale once it is this old (default 2 s).
   */
  staleMs?: number
}

/** Start time of a process (field 22 of /proc/<pid>/stat, clock ticks since boot), or undefined where it cannot be read. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) is in parentheses and may hold spaces or parentheses: split after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] || undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Is the process that wrote `<pid> <starttime>` still that same process? */
export function ownerAlive(pid: number, startTime: string | undefined): boolean {
  if (!alive(pid)) return false
  if (startTime === undefined || startTime === '-') return true
  const now = processStartTime(pid)
  // A pid that is alive but whose start time differs was reused by another process (unreadable: trust the pid).
  return now === undefined || now === startTime
}

/** What a lock file holds: `<pid> <starttime> <nonce>` (older versions wrote just `<pid>`). */
function parseOwner(text: string): undefined | {pid: number; startTime?: string} {
  const [pid, startTime] = text.trim().split(/\s+/)
  const n = Number(pid)
  if (!/^\d+$/.test(pid ?? '') || !Number.isSafeInteger(n) || n <= 0) return undefined
  return {pid: n, startTime}
}

interface Observed {
  /** identity of the file seen (inode + change time) and when this process first saw it */
  id: string
  since: number
}

/**
 * Judge a lock file: held by a live owner, or stale. `seen` remembers files without an owner (empty,
 * unreadable, kubectl's) so that their age counts from when we first saw them even if the clock of
 * the file system is off.
 */
interface Judged {
  content?: string
  /** dev:ino:ctime of the file judged */
  id: string
  owner?: number
  stale: boolean
}

async function judge(lockPath: string, staleMs: number, seen: Map<string, Observed>): Promise<'gone' | Judged> {
  let text: string | undefined
  let stat
  try {
    stat = await fsp.stat(lockPath)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    return {id: '', stale: false}
  }

  try {
    text = await fsp.readFile(lockPath, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    text = undefined
  }

  const id = `${stat.dev}:${stat.ino}:${stat.ctimeMs}`
  const owner = text === undefined ? undefined : parseOwner(text)
  if (owner) return {content: text, id, owner: owner.pid, stale: !ownerAlive(owner.pid, owner.startTime)}
  const first = seen.get(lockPath)
  const since = first?.id === id ? first.since : Date.now()
  if (first?.id !== id) seen.set(lockPath, {id, since})
  const age = Math.max(Date.now() - stat.mtimeMs, Date.now() - since)
  return {content: text, id, stale: age > staleMs}
}

/** Create `path` holding `content`, atomically, failing with EEXIST when it exists: never an empty file from us. */
async function createExclusive(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await fsp.writeFile(tmp, content, {flag: 'wx', mode: 0o600})
    await linkOrCreate(tmp, path, content)
  } finally {
    await fsp.rm(tmp, {force: true}).catch(() => {})
  }
}

async function linkOrCreate(tmp: string, path: string, content: string): Promise<void> {
  try {
    await fsp.link(tmp, path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error
    // A file system without hard links: exclusive create, then write (a crash in between leaves an empty file, which is judged by age).
    const handle = await fsp.open(path, 'wx', 0o600)
    try {
      await handle.writeFile(content)
    } finally {
      await handle.close()
    }
  }
}

/** Remove `path` only when it still holds `content`. */
async function removeIfOurs(path: string, content: string | undefined): Promise<void> {
  if (content === undefined) return
  const now = await fsp.readFile(path, 'utf8').catch(() => undefined)
  if (now === content) await fsp.rm(path, {force: true}).catch(() => {})
}

/**
 * Remove a stale lock so that nobody else's lock is ever removed: only the holder of the exclusive
 * `<lock>.takeover` file may remove it, and it checks again, after winning, that the lock is still the
 * stale file it judged (same content). Returns whether the caller should try to take the lock again now.
 */
async function takeOver(lockPath: string, judged: Judged, me: string, seen: Map<string, Observed>, staleMs: number): Promise<boolean> {
  const takeover = `${lockPath}.takeover`
  try {
    await createExclusive(takeover, me)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    // Another process is taking over. A takeover file whose taker died is removed, if it is still that file.
    const state = await judge(takeover, staleMs, seen)
    if (state !== 'gone' && state.stale) await removeIfOurs(takeover, state.content)
    return false
  }

  try {
    const again = await judge(lockPath, staleMs, seen)
    if (again === 'gone') return true
    if (again.stale && again.id === judged.id && again.content === judged.content) {
      await fsp.rm(lockPath, {force: true})
      seen.delete(lockPath)
      return true
    }

    return false
  } finally {
    await removeIfOurs(takeover, me)
  }
}

/**
 * Hold `<path>.lock` (the lock file kubectl uses too) around a read-modify-write of `path`,
 * waiting a bounded time for another writer. A lock left by a dead process (or by a pid now used by
 * another process, or an empty one left by a crash) is taken over, race-free.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.BACKPLANE_LOCK_TIMEOUT) * 1000 || 10_000)
  const staleMs = opts.staleMs ?? 2000
  const deadline = Date.now() + timeoutMs
  const me = `${process.pid} ${processStartTime(process.pid) ?? '-'} ${randomBytes(8).toString('hex')}\n`
  const seen = new Map<string, Observed>()
  let owner: number | undefined
  for (let attempt = 0; ; attempt++) {
    try {
      // While the lock is there, only look at it (cheap); try to create it when it is gone.
      if (attempt === 0 || !(await fsp.lstat(lockPath).then(() => true, () => false))) await createExclusive(lockPath, me)
      else throw Object.assign(new Error('held'), {code: 'EEXIST'})
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
      const state = await judge(lockPath, staleMs, seen)
      if (state === 'gone') continue
      owner = state.owner
      if (state.stale && (await takeOver(lockPath, state, me, seen, staleMs))) continue

      if (Date.now() >= deadline) {
        throw new CliError(`${path} is locked by another process${owner ? ` (pid ${owner})` : ''}`, {
          code: 'LOCKED',
          hint: `retry; if nothing else is writing it, remove ${lockPath}`,
        })
      }

      await sleep(Math.min(5 + attempt * 5, 50) + Math.random() * 10)
    }
  }

  try {
    return await fn()
  } finally {
    await removeIfOurs(lockPath, me)
  }
}
