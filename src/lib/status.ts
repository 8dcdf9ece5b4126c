import type {Services} from './services.js'

import {clusterIdFromServer} from './backplane/client.js'
import {CliError} from './errors.js'

/** What `backplane status` shows about the current context. */
export interface StatusResult {
  backplaneServer: string
  clusterBasedomain: string
  clusterId: string
  clusterName: string
  context: string
}

/** The cluster of the current kubeconfig context (which must be a backplane one), as OCM knows it. */
export async function currentStatus(services: Services): Promise<StatusResult> {
  const set = await services.kubeconfig()
  const current = set.currentContext()
  if (!current) throw new CliError('no current kubeconfig context', {code: 'NO_CONTEXT', hint: "log in first with 'backplane login <cluster>'"})
  const ctx = set.context(current.name)
  const server = ctx?.cluster ? set.clusterServer(ctx.cluster) : undefined
  const clusterId = clusterIdFromServer(server)
  if (!clusterId) {
    throw new CliError(`current context "${current.name}" is not a backplane context${server ? ` (its server is ${server})` : ''}`, {
      code: 'NOT_BACKPLANE',
      hint: "log in with 'backplane login <cluster>', or switch to a backplane context",
    })
  }

  const [cluster, backplaneServer] = await Promise.all([services.clusters.get(clusterId), services.backplaneUrl()])
  return {
    backplaneServer,
    clusterBasedomain: cluster.dns?.base_domain ?? '',
    clusterId: cluster.id,
    clusterName: cluster.name,
    context: current.name,
  }
}

/** The four lines shell prompts parse. */
export function statusLines(s: StatusResult): string[] {
  return [`Cluster ID: ${s.clusterId}`, `Cluster Name: ${s.clusterName}`, `Cluster Basedomain: ${s.clusterBasedomain}`, `Backplane Server: ${s.backplaneServer}`]
}
