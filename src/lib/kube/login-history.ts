// The contexts login made current, per kubeconfig file (the last 20 of each), in
// ~/.kube/cache/backplane/login-history.json: what `login -` switches back to, and what `logout` restores.
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

import {readFileIfExists, writeFileAtomic} from '../fs/atomic.js'
import {withFileLock} from '../fs/lock.js'

export const HISTORY_LENGTH = 20

export interface HistoryEntry {
  /** The backplane cluster id of the context. */
  clusterId: string
  /** The context made current. */
  context: string
  /** The context that was current just before (any kind), when there was one. */
  previous?: string
  time: string
}

interface HistoryFile {
  kubeconfigs: Record<string, HistoryEntry[]>
  version: 1
}

export function historyPath(env: NodeJS.ProcessEnv): string {
  return join(env.HOME || homedir(), '.kube', 'cache', 'backplane', 'login-history.json')
}

/** The history of one kubeconfig file, oldest first. A corrupt history file counts as empty (with a warning). */
export async function readHistory(env: NodeJS.ProcessEnv, kubeconfig: string, warn?: (line: string) => void): Promise<HistoryEntry[]> {
  return (await load(historyPath(env), warn)).kubeconfigs[resolve(kubeconfig)] ?? []
}

/** Append an entry to a kubeconfig's history (keeping the last 20), atomically and under the file's lock. */
export async function recordHistory(env: NodeJS.ProcessEnv, kubeconfig: string, entry: Omit<HistoryEntry, 'time'>, warn?: (line: string) => void): Promise<void> {
  const path = historyPath(env)
  await withFileLock(path, async () => {
    const data = await load(path, warn)
    const key = resolve(kubeconfig)
    const list = [...(data.kubeconfigs[key] ?? []), {...entry, time: new Date().toISOString()}]
    data.kubeconfigs[key] = list.slice(-HISTORY_LENGTH)
    await writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`, 0o600)
  })
}

/**
 * The context `login -` goes back to: the latest context of the history, other than the current one, that
 * `usable` accepts (it still exists and is a backplane context).
 */
export function previousContext(history: HistoryEntry[], current: string | undefined, usable: (context: string) => boolean): string | undefined {
  for (const entry of [...history].reverse()) {
    for (const name of [entry.context, entry.previous]) {
      if (name !== undefined && name !== current && usable(name)) return name
    }
  }

  return undefined
}

/**
 * What was current before the latest login to a cluster: the `previous` of its latest history entry that
 * came from outside that cluster (logging in again to another namespace of it does not count).
 */
export function beforeCluster(history: HistoryEntry[], clusterId: string, ofCluster: (context: string) => boolean): string | undefined {
  for (const entry of [...history].reverse()) {
    if (entry.clusterId !== clusterId) continue
    if (entry.previous !== undefined && !ofCluster(entry.previous)) return entry.previous
  }

  return undefined
}

async function load(path: string, warn?: (line: string) => void): Promise<HistoryFile> {
  const empty: HistoryFile = {kubeconfigs: {}, version: 1}
  const text = await readFileIfExists(path)
  if (text === undefined || text.trim() === '') return empty
  try {
    const data = JSON.parse(text) as HistoryFile
    if (data === null || typeof data !== 'object' || typeof data.kubeconfigs !== 'object' || data.kubeconfigs === null || Array.isArray(data.kubeconfigs)) throw new Error('not a history')
    const kubeconfigs: Record<string, HistoryEntry[]> = {}
    for (const [key, list] of Object.entries(data.kubeconfigs)) {
      if (!Array.isArray(list)) throw new Error('not a history')
      kubeconfigs[key] = list.filter(
        (e): e is HistoryEntry =>
          e !== null && typeof e === 'object' && typeof e.context === 'string' && typeof e.clusterId === 'string' && (e.previous === undefined || typeof e.previous === 'string'),
      )
    }

    return {kubeconfigs, version: 1}
  } catch {
    warn?.(`ignoring the login history ${path}: it is not valid (it is rewritten at the next login)`)
    return empty
  }
}
