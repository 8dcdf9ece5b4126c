// The "new version available" notice. It never makes a command wait: the registry is asked by a detached child
// process (2 s timeout) that writes a cache; a later command reads the cache and prints the notice on stderr, at
// most once a day, only on a terminal, never with BACKPLANE_NO_UPDATE_NOTIFIER=1.
import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

export const DAY_MS = 24 * 60 * 60 * 1000
export const DEFAULT_REGISTRY = 'https://registry.npmjs.org'

export interface UpdateCache {
  /** When the registry was last asked. */
  checkedAt?: number
  /** The latest version it named. */
  latest?: string
  /** When the notice was last shown. */
  notifiedAt?: number
}

export function updateCachePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache')
  return join(base, 'backplane', 'update-check.json')
}

/** Is `a` a newer x.y.z than `b`? (pre-releases and anything unparsable: no) */
export function isNewer(a: string, b: string): boolean {
  const parse = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim())?.slice(1).map(Number)
  const x = parse(a)
  const y = parse(b)
  if (!x || !y) return false
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]!
  return false
}

function readCache(path: string): UpdateCache {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as UpdateCache
    return value && typeof value === 'object' ? value : {}
  } catch {
    return {}
  }
}

function writeCache(path: string, cache: UpdateCache): void {
  try {
    mkdirSync(dirname(path), {mode: 0o700, recursive: true})
    writeFileSync(path, `${JSON.stringify(cache)}\n`, {mode: 0o600})
  } catch {
    // a read-only HOME only means no notice
  }
}

// What the detached child runs (node -e): ask the registry, write the cache. Nothing of it may reach the screen.
const CHECK_SCRIPT = `
const [url, path, pkg] = process.argv.slice(1)
const fs = require('node:fs')
fetch(url + '/' + encodeURIComponent(pkg) + '/latest', {signal: AbortSignal.timeout(2000), headers: {accept: 'application/json'}})
  .then((r) => (r.ok ? r.json() : undefined))
  .then((body) => {
    let cache = {}
    try { cache = JSON.parse(fs.readFileSync(path, 'utf8')) || {} } catch {}
    cache.checkedAt = Date.now()
    if (body && typeof body.version === 'string' && /^\\d+\\.\\d+\\.\\d+$/.test(body.version)) cache.latest = body.version
    fs.mkdirSync(require('node:path').dirname(path), {recursive: true, mode: 0o700})
    fs.writeFileSync(path + '.tmp', JSON.stringify(cache) + '\\n', {mode: 0o600})
    fs.renameSync(path + '.tmp', path)
  })
  .catch(() => {})
`

export interface NoticeContext {
  env: NodeJS.ProcessEnv
  isTTY: boolean
  now?: number
  packageName: string
  version: string
  write: (text: string) => void
}

/**
 * At the start of a command: the notice when the cache names a newer version (once a day), and a background
 * registry check when the cache is a day old. Synchronous and cheap: a small file read, at most one spawn.
 */
export function updateNotice(c: NoticeContext): void {
  if (c.env.BACKPLANE_NO_UPDATE_NOTIFIER === '1' || c.env.BACKPLANE_NO_UPDATE_NOTIFIER === 'true' || !c.isTTY) return
  const now = c.now ?? Date.now()
  const path = updateCachePath(c.env)
  const cache = readCache(path)
  if (cache.latest && isNewer(cache.latest, c.version) && now - (cache.notifiedAt ?? 0) >= DAY_MS) {
    c.write(`A new version of ${c.packageName} is available: ${c.version} → ${cache.latest}. Run 'backplane upgrade' (off with BACKPLANE_NO_UPDATE_NOTIFIER=1).\n`)
    writeCache(path, {...cache, notifiedAt: now})
  }

  if (now - (cache.checkedAt ?? 0) < DAY_MS) return
  // Marked as checked now, so that commands run meanwhile start no second check.
  writeCache(path, {...readCache(path), checkedAt: now})
  const registry = (c.env.BACKPLANE_UPDATE_REGISTRY || DEFAULT_REGISTRY).replace(/\/+$/, '')
  try {
    const child = spawn(process.execPath, ['-e', CHECK_SCRIPT, registry, path, c.packageName], {detached: true, env: {PATH: c.env.PATH ?? ''}, stdio: 'ignore'})
    child.on('error', () => {})
    child.unref()
  } catch {
    // no check this time
  }
}
