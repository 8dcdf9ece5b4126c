import type {KubeconfigSet} from './kubeconfig.js'

import {clusterIdFromServer} from '../backplane/client.js'
import {CliError} from '../errors.js'
import {checkClusterId} from '../ids.js'

export interface CurrentBackplaneCluster {
  clusterId: string
  /** The kubeconfig cluster entry's name. */
  clusterName: string
  context: string
  /** `proxy-url` of the cluster entry, when login wrote one. */
  proxyUrl?: string
  /** The backplane proxy URL of the cluster's API (`<backplane>/backplane/cluster/<id>/`). */
  server: string
}

/** The cluster of the current kubeconfig context when that is a backplane one (server path `/backplane/cluster/<id>/`). */
export function findCurrentBackplaneCluster(set: KubeconfigSet): CurrentBackplaneCluster | undefined {
  const current = set.currentContext()
  const ctx = current ? set.context(current.name) : undefined
  const server = ctx?.cluster ? set.clusterServer(ctx.cluster) : undefined
  const clusterId = clusterIdFromServer(server)
  if (!current || !ctx?.cluster || !server || !clusterId) return undefined
  checkClusterId(clusterId, `the server of kubeconfig context "${current.name}"`, "log in again with 'backplane login <cluster>'")
  const proxy = set.find('clusters', ctx.cluster)?.body('clusters', ctx.cluster)?.get('proxy-url')
  return {
    clusterId,
    clusterName: ctx.cluster,
    context: current.name,
    proxyUrl: typeof proxy === 'string' && proxy !== '' ? proxy : undefined,
    server,
  }
}

/**
 * The cluster of the current kubeconfig context, which must be a backplane one (server path
 * `/backplane/cluster/<id>/`). Anything else is an error that says how to get one (`hint` overrides how).
 */
export function currentBackplaneCluster(set: KubeconfigSet, hint?: string): CurrentBackplaneCluster {
  const found = findCurrentBackplaneCluster(set)
  if (found) return found
  const current = set.currentContext()
  if (!current) {
    throw new CliError('no current kubeconfig context', {code: 'NO_CONTEXT', hint: hint ?? "log in first with 'backplane login <cluster>'"})
  }

  const ctx = set.context(current.name)
  const server = ctx?.cluster ? set.clusterServer(ctx.cluster) : undefined
  throw new CliError(`current context "${current.name}" is not a backplane context${server ? ` (its server is ${server})` : ''}`, {
    code: 'NOT_BACKPLANE',
    hint: hint ?? "log in with 'backplane login <cluster>', or switch to a backplane context",
  })
}
