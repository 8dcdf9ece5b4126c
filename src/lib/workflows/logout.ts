import {promises as fsp} from 'node:fs'
import {dirname} from 'node:path'

import {KubeconfigSet} from '../kube/kubeconfig.js'
import {beforeCluster, readHistory} from '../kube/login-history.js'

import {clusterIdFromServer} from '../backplane/client.js'
import {CliError} from '../errors.js'
import {fileError} from '../fs/atomic.js'

export interface Removed {
  clusters: string[]
  contexts: string[]
  users: string[]
}

export interface LogoutResult {
  clusterId: string
  context: string
  /** The current context afterwards: the one before that cluster's login, when it still exists. */
  current?: string
  kubeconfig: string
  removed: Removed
}

/**
 * Log out of the current context's cluster: remove every backplane context of that cluster (any namespace),
 * then its cluster entry, then each user no remaining context uses. current-context goes back to what was
 * current before that cluster's login (login history) when it still exists, else it is unset. Anything
 * else, or a current context that is not a backplane one, leaves the files byte for byte as they were.
 */
export async function logoutCluster(env: NodeJS.ProcessEnv, paths: string[], warn?: (line: string) => void): Promise<LogoutResult> {
  return KubeconfigSet.update(paths, async (set) => {
    const current = set.currentContext()
    if (!current) throw new CliError('no current kubeconfig context', {code: 'NO_CONTEXT', hint: "nothing to log out from; 'backplane login <cluster>' first"})
    const clusterId = clusterOf(set, current.name)
    if (!clusterId) {
      throw new CliError(`current context "${current.name}" is not a backplane context`, {
        code: 'NOT_BACKPLANE',
        hint: 'switch to a backplane context (kubectl config use-context) or log out with that tool',
      })
    }

    const history = await readHistory(env, paths[0]!, warn)
    const back = beforeCluster(history, clusterId, (name) => clusterOf(set, name) === clusterId)
    const removed = removeContexts(set, (name) => clusterOf(set, name) === clusterId)
    const restored = back !== undefined && set.find('contexts', back) ? back : undefined
    current.file.setCurrentContext(restored)
    return {clusterId, context: current.name, current: restored, kubeconfig: current.file.path, removed}
  })
}

/** Remove every backplane context, with its cluster and user entries; current-context is unset when it was one of them. */
export async function logoutAll(paths: string[]): Promise<{current?: string; removed: Removed}> {
  return KubeconfigSet.update(paths, (set) => {
    const current = set.currentContext()
    const removed = removeContexts(set, (name) => clusterOf(set, name) !== undefined)
    if (current && removed.contexts.includes(current.name)) current.file.setCurrentContext(undefined)
    const now = set.currentContext()?.name
    return {current: now, removed}
  })
}

/** The backplane contexts `logout --all` would remove (to show before asking). */
export async function backplaneContexts(paths: string[]): Promise<string[]> {
  const set = await KubeconfigSet.load(paths)
  return set.files.flatMap((f) => f.names('contexts')).filter((name) => clusterOf(set, name) !== undefined)
}

/** The backplane cluster id of a context (its cluster's server is a backplane cluster proxy URL). */
export function clusterOf(set: KubeconfigSet, context: string): string | undefined {
  const cluster = set.context(context)?.cluster
  return cluster ? clusterIdFromServer(set.clusterServer(cluster)) : undefined
}

function removeContexts(set: KubeconfigSet, match: (context: string) => boolean): Removed {
  const removed: Removed = {clusters: [], contexts: [], users: []}
  const gone: Array<{cluster?: string; user?: string}> = []
  for (const file of set.files) {
    for (const name of file.names('contexts')) {
      if (!match(name)) continue
      const body = file.body('contexts', name)
      const str = (key: string) => {
        const v = body?.get(key)
        return typeof v === 'string' && v !== '' ? v : undefined
      }

      gone.push({cluster: str('cluster'), user: str('user')})
      file.remove('contexts', name)
      if (!removed.contexts.includes(name)) removed.contexts.push(name)
    }
  }

  const stillUsed = (key: 'cluster' | 'user', name: string) =>
    set.files.some((f) => f.names('contexts').some((c) => f.body('contexts', c)?.get(key) === name))
  for (const {cluster, user} of gone) {
    // Only backplane cluster entries are removed: a non-backplane one of the same name is never touched.
    if (cluster && !removed.clusters.includes(cluster) && !stillUsed('cluster', cluster)) {
      for (const file of set.files) {
        if (clusterIdFromServer(stringField(file.body('clusters', cluster)?.get('server'))) && file.remove('clusters', cluster) && !removed.clusters.includes(cluster)) removed.clusters.push(cluster)
      }
    }

    if (user && !removed.users.includes(user) && !stillUsed('user', user)) {
      for (const file of set.files) if (file.remove('users', user) && !removed.users.includes(user)) removed.users.push(user)
    }
  }

  return removed
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Remove the kubeconfig a `login --multi` wrote (and its directory when that is left empty). */
export async function removeMultiKubeconfig(path: string): Promise<boolean> {
  try {
    await fsp.rm(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw fileError(error, path, 'remove')
  }

  await fsp.rmdir(dirname(path)).catch(() => {})
  return true
}
