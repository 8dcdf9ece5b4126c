import {randomBytes} from 'node:crypto'
import {promises as fsp} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {CliError} from '../errors.js'

/**
 * Write a file atomically: write a temp file beside it, fsync, then rename over the target.
 * A reader (or a crash) sees the old content or the new one, never a half-written file.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  const dir = dirname(path)
  try {
    await fsp.mkdir(dir, {recursive: true, mode: 0o700})
  } catch (error) {
    throw fileError(error, dir, 'create directory')
  }

  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle: fsp.FileHandle | undefined
  try {
    handle = await fsp.open(tmp, 'wx', mode)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await fsp.chmod(tmp, mode)
    await fsp.rename(tmp, path)
  } catch (error) {
    await handle?.close().catch(() => {})
    await fsp.rm(tmp, {force: true}).catch(() => {})
    throw fileError(error, path, 'write')
  }

  await removeDeadWritersTemps(dir, basename(path))
}

/**
 * Temp files a killed writer left beside the file (`.<name>.<pid>.<hex>.tmp`, and the lock's
 * `.<name>.lock.<pid>.<hex>.tmp`), removed when their writer no longer runs.
 */
async function removeDeadWritersTemps(dir: string, name: string): Promise<void> {
  const names = await fsp.readdir(dir).catch(() => [] as string[])
  const prefix = `.${name}.`
  for (const entry of names) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue
    const m = /^(?:lock\.(?:takeover\.)?)?(\d+)\.[\da-f]+\.tmp$/.exec(entry.slice(prefix.length))
    if (!m) continue
    const pid = Number(m[1])
    if (pid === process.pid || processRuns(pid)) continue
    await fsp.rm(join(dir, entry), {force: true}).catch(() => {})
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function fileError(error: unknown, path: string, action: string): CliError {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new CliError(`cannot ${action} ${path}: permission denied`, {hint: 'check the permissions of the file and its directory'})
  }

  if (code === 'ENOTDIR' || code === 'EISDIR') {
    return new CliError(`cannot ${action} ${path}: a path component is not a directory`, {hint: 'check the path'})
  }

  if (code === 'ENOSPC') {
    return new CliError(`cannot ${action} ${path}: no space left on device`, {hint: 'free some disk space and retry'})
  }

  return new CliError(`cannot ${action} ${path}: ${(error as Error)?.message ?? String(error)}`, {hint: 'check the path and its permissions'})
}

/** Read a file, or undefined when it does not exist. */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw fileError(error, path, 'read')
  }
}
