import type {OcmCluster} from './clusters.js'
import type {OcmSession} from './session.js'

import {CliError} from '../errors.js'
import {checkClusterId, urlPath} from '../ids.js'
import {quoteSearchValue} from './clusters.js'

/** `login --manager`: the cluster that manages the target; `login --service`: a HyperShift cluster's service cluster. */
export type RelatedRole = 'manager' | 'service'

export interface RelatedCluster {
  /** The cluster to log in to instead of the target. */
  cluster: OcmCluster
  /** What it is to the target. */
  kind: 'hive-shard' | 'management-cluster' | 'service-cluster'
  /** Shell variables to export: the namespaces (or names) where the target lives on that cluster. */
  exports: Record<string, string>
  /** The cluster the user named. */
  target: OcmCluster
}

interface HypershiftInfo {
  hcp_namespace?: unknown
  management_cluster?: unknown
}

const CLUSTERS = '/api/clusters_mgmt/v1/clusters'

/** OCM's environment name as the namespaces use it (`integration` is `int` there). */
export function namespaceEnvName(name: string): string {
  return name === 'integration' ? 'int' : name
}

/** Where a cluster's objects live on the cluster that manages it. */
export function managerNamespaces(target: OcmCluster, envName: string, hcpNamespace?: string): Record<string, string> {
  const env = namespaceEnvName(envName)
  if (!target.hypershift?.enabled) return {HIVE_NS: `uhc-${env}-${target.id}`}
  const hc = `ocm-${env}-${target.id}`
  return {
    HC_NAMESPACE: hc,
    HCP_NAMESPACE: hcpNamespace || `${hc}-${target.domain_prefix || target.name}`,
    KLUSTERLET_NS: `klusterlet-${target.id}`,
  }
}

/** Follows OCM from a cluster to its manager (management cluster or Hive shard) or its service cluster. */
export class RelatedClusters {
  constructor(private readonly ocm: OcmSession) {}

  async find(target: OcmCluster, role: RelatedRole): Promise<RelatedCluster> {
    const hypershift = target.hypershift?.enabled === true
    if (role === 'service' && !hypershift) {
      throw new CliError(`cluster ${target.name} is not a HyperShift (hosted control plane) cluster, so it has no service cluster`, {
        code: 'NOT_HYPERSHIFT',
        hint: 'use --manager to log in to its Hive shard',
      })
    }

    if (!hypershift) {
      const [shard, envName] = await Promise.all([this.hiveShard(target), this.environmentName()])
      return {cluster: shard, exports: managerNamespaces(target, envName), kind: 'hive-shard', target}
    }

    const info = await this.ocm.get<HypershiftInfo>(urlPath(CLUSTERS, target.id, 'hypershift'))
    const mcName = typeof info?.management_cluster === 'string' ? info.management_cluster : ''
    if (!mcName) {
      throw new CliError(`OCM knows no management cluster for ${target.name}`, {code: 'NO_MANAGER', hint: 'the cluster may still be installing; retry later'})
    }

    if (role === 'service') {
      const scName = await this.serviceClusterName(mcName)
      return {cluster: await this.byName(scName, 'service cluster'), exports: {MC_NAME: mcName}, kind: 'service-cluster', target}
    }

    const [mc, envName] = await Promise.all([this.byName(mcName, 'management cluster'), this.environmentName()])
    const hcp = typeof info?.hcp_namespace === 'string' ? info.hcp_namespace : undefined
    return {cluster: mc, exports: managerNamespaces(target, envName, hcp), kind: 'management-cluster', target}
  }

  /** classic: provision_shard → hive_config.server, then the cluster whose api.url is that server. */
  private async hiveShard(target: OcmCluster): Promise<OcmCluster> {
    const shard = await this.ocm.get<{hive_config?: {server?: unknown}}>(urlPath(CLUSTERS, target.id, 'provision_shard'))
    const server = shard?.hive_config?.server
    if (typeof server !== 'string' || server === '') {
      throw new CliError(`OCM answered without a Hive shard server for ${target.name}`, {code: 'NO_MANAGER', hint: 'check the cluster with \'ocm describe cluster\''})
    }

    const found = await this.search(`api.url = ${quoteSearchValue(server)}`)
    if (!found) throw new CliError(`no cluster in OCM has the API URL of ${target.name}'s Hive shard (${server})`, {code: 'NOT_FOUND', hint: 'the shard may be in another OCM environment'})
    return found
  }

  /** A management cluster's parent in OSD fleet manager: its service cluster. */
  private async serviceClusterName(mcName: string): Promise<string> {
    const list = await this.ocm.get<{items?: Array<{parent?: {kind?: unknown; name?: unknown}}>}>('/api/osd_fleet_mgmt/v1/management_clusters', {
      search: `name = ${quoteSearchValue(mcName)}`,
    })
    const parent = Array.isArray(list?.items) ? list.items[0]?.parent : undefined
    if (!parent || parent.kind !== 'ServiceCluster' || typeof parent.name !== 'string' || parent.name === '') {
      throw new CliError(`OSD fleet manager knows no service cluster for management cluster ${mcName}`, {code: 'NOT_FOUND', hint: 'check the management cluster in OCM'})
    }

    return parent.name
  }

  private async byName(name: string, what: string): Promise<OcmCluster> {
    const found = await this.search(`name = ${quoteSearchValue(name)}`)
    if (!found) throw new CliError(`the ${what} ${name} is not in OCM`, {code: 'NOT_FOUND', hint: 'it may be in another OCM environment'})
    return found
  }

  private async search(search: string): Promise<OcmCluster | undefined> {
    const list = await this.ocm.get<{items?: unknown[]}>(CLUSTERS, {search, size: '1'})
    const item = Array.isArray(list?.items) ? (list.items[0] as OcmCluster | undefined) : undefined
    if (!item || typeof item.id !== 'string' || typeof item.name !== 'string') return undefined
    checkClusterId(item.id, 'OCM')
    return item
  }

  private async environmentName(): Promise<string> {
    const env = await this.ocm.get<{name?: unknown}>('/api/clusters_mgmt/v1/environment')
    if (typeof env?.name !== 'string' || env.name === '') throw new CliError('OCM did not say which environment it is', {hint: 'check the OCM URL (OCM_URL or url in the OCM config)'})
    return env.name
  }
}
