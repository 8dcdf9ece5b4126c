// backplane's `Deprecated-Client: true` answer header: a warning once per CLI version, remembered across runs in
// ~/.cache/backplane/deprecated-client.json ($XDG_CACHE_HOME too), so that it is not on every login.
import {mkdir, readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

import {writeFileAtomic} from '../fs/atomic.js'

export function deprecationStatePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache')
  return join(base, 'backplane', 'deprecated-client.json')
}

/** Warn (stderr) that this version is deprecated, unless it was already said for this version. Never throws. */
export async function warnDeprecatedOnce(env: NodeJS.ProcessEnv, version: string, write = (line: string) => process.stderr.write(line)): Promise<void> {
  const path = deprecationStatePath(env)
  try {
    const seen = JSON.parse(await readFile(path, 'utf8')) as {warned?: unknown}
    if (Array.isArray(seen.warned) && seen.warned.includes(version)) return
  } catch {
    // No record yet (or an unreadable one): warn, and write a fresh one.
  }

  write(`Warning: backplane says this CLI version (${version}) is deprecated — update it as soon as possible\n`)
  try {
    await mkdir(dirname(path), {mode: 0o700, recursive: true})
    await writeFileAtomic(path, `${JSON.stringify({warned: [version]})}\n`, 0o600)
  } catch {
    // Not remembering only means the warning comes again next time.
  }
}
