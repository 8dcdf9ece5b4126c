import {promises as fsp} from 'node:fs'
import {dirname} from 'node:path'

import {KubeconfigSet} from '../kube/kubeconfig.js'

import {clusterIdFromServer} from '../backplane/client.js'
import {CliError} from '../errors.js'
import {fileError} from '../fs/atomic.js'

export interface LogoutResult {
  clusterId: string
  context: string
  kubeconfig: string
}

/**
 * Remove the current backplane context; its cluster and user too when no other context uses them.
 * Anything else, or a current context that is not a backplane one, leaves the files byte for byte as they were.
 */
export async function logoutCurrent(paths: string[]): Promise<LogoutResult> {
  return KubeconfigSet.update(paths, (set) => removeCurrent(set))
}

function removeCurrent(set: KubeconfigSet): LogoutResult {
  const current = set.currentContext()
  if (!current) throw new CliError('no current kubeconfig context', {code: 'NO_CONTEXT', hint: "nothing to log out from; 'backplane login <cluster>' first"})
  const ctx = set.context(current.name)
  const server = ctx?.cluster ? set.clusterServer(ctx.cluster) : undefined
  const clusterId = clusterIdFromServer(server)
  if (!ctx || !clusterId) {
    throw new CliError(`current context "${current.name}" is not a backplane context`, {
      code: 'NOT_BACKPLANE',
      hint: 'switch to a backplane context (kubectl config use-context) or log out with that tool',
    })
  }

  ctx.file.remove('contexts', current.name)
  const stillUsed = (key: 'cluster' | 'user', name: string) =>
    set.files.some((f) => f.names('contexts').some((c) => f.body('contexts', c)?.get(key) === name))
  if (ctx.cluster && !stillUsed('cluster', ctx.cluster)) set.find('clusters', ctx.cluster)?.remove('clusters', ctx.cluster)
  if (ctx.user && !stillUsed('user', ctx.user)) set.find('users', ctx.user)?.remove('users', ctx.user)
  current.file.setCurrentContext(undefined)
  return {clusterId, context: current.name, kubeconfig: current.file.path}
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
