import type {Services} from '../../services.js'
import type {TargetCluster} from '../target-cluster.js'

import {getCloudConsole} from '../../backplane/cloud.js'

/** What Go's `cloud console -o` takes: json and yaml, anything else is text (env too). */
export const OUTPUT_FORMATS = ['text', 'json', 'yaml', 'env'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** What `cloud console` shows: the link, and which cluster (and region) it is for. */
export interface CloudConsoleLink {
  /** Go ocm-backplane's key for the link (its -o json|yaml), for the scripts that read it. */
  ConsoleLink: string
  clusterId: string
  consoleLink: string
  region?: string
}

/** The cloud console link of a cluster (named, or the current backplane context's: see targetCluster). */
export async function cloudConsoleLink(services: Services, target: TargetCluster): Promise<CloudConsoleLink> {
  const clusterId = target.id
  let region = target.cluster?.region?.id
  const backplane = await services.backplane()
  const answer = await getCloudConsole(backplane, clusterId)
  region = answer.region || region
  if (!region && !target.cluster) region = (await services.clusters.get(clusterId)).region?.id
  return {ConsoleLink: answer.consoleLink, clusterId: answer.clusterID || clusterId, consoleLink: answer.consoleLink, ...(region ? {region} : {})}
}

/** The text, JSON or YAML rendering of a link (JSON as oclif's --json prints it). */
export async function renderCloudConsole(link: CloudConsoleLink, format: OutputFormat): Promise<string> {
  if (format === 'json') return JSON.stringify(link, null, 2)
  if (format === 'yaml') {
    const {stringify} = await import('yaml')
    return stringify(link).trimEnd()
  }

  return `Console Link:\n  Link: ${link.consoleLink}`
}
