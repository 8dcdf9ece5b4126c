import type {Services} from '../services.js'

import {currentBackplaneCluster} from '../kube/current-cluster.js'
import {type Clock, elevateState, systemClock} from '../kube/elevate-context.js'

/** What `backplane status` shows about the current context. */
export interface StatusResult {
  backplaneServer: string
  clusterBasedomain: string
  clusterId: string
  clusterName: string
  context: string
  /** The elevation reasons cached in the context (ElevateContext), when still valid. */
  elevation?: {minutesLeft: number; reasons: string[]}
}

/** The cluster of the current kubeconfig context (which must be a backplane one), as OCM knows it. */
export async function currentStatus(services: Services, clock: Clock = systemClock): Promise<StatusResult> {
  const set = await services.kubeconfig()
  const {clusterId, context, server} = currentBackplaneCluster(set)
  const elevate = elevateState(set, clock())
  const cluster = await services.clusters.get(clusterId)
  // As Go's status: the backplane host of the context's server (the instance this login went through).
  const backplaneServer = `https://${new URL(server).host}`
  return {
    backplaneServer,
    clusterBasedomain: cluster.dns?.base_domain ?? '',
    clusterId: cluster.id,
    clusterName: cluster.name,
    context,
    ...(elevate && elevate.reasons.length > 0 ? {elevation: {minutesLeft: elevate.minutesLeft, reasons: elevate.reasons}} : {}),
  }
}

/** The four lines shell prompts parse (labels padded: values from column 21, as Go's), and a fifth while an elevation reason is cached. */
export function statusLines(s: StatusResult): string[] {
  const line = (label: string, value: string) => `${`${label}:`.padEnd(20)}${value}`
  const lines = [line('Cluster ID', s.clusterId), line('Cluster Name', s.clusterName), line('Cluster Basedomain', s.clusterBasedomain), line('Backplane Server', s.backplaneServer)]
  if (s.elevation) {
    const {minutesLeft, reasons} = s.elevation
    lines.push(`Elevation: ${reasons.map((r) => JSON.stringify(r)).join(', ')} (${minutesLeft} minute${minutesLeft === 1 ? '' : 's'} left)`)
  }

  return lines
}
