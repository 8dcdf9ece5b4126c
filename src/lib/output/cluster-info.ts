import {visible} from './visible.js'
import {clusterState, clusterVersion, type OcmCluster} from '../ocm/clusters.js'

/** OCM's count of limited support reasons (0 when absent or not a number). */
export function limitedSupportReasons(cluster: OcmCluster): number {
  const n = cluster.status?.limited_support_reason_count
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0
}

/**
 * The facts `--cluster-info` shows, in display order (Go's fields too: Hypershift Enabled, Limited Support Status,
 * and Access Protection when it is known).
 */
export function clusterInfo(cluster: OcmCluster, accessProtection?: boolean | undefined): Record<string, string> {
  return {
    'Cluster ID': cluster.id,
    'Cluster Name': cluster.name,
    State: clusterState(cluster),
    Version: clusterVersion(cluster) ?? '-',
    Provider: cluster.cloud_provider?.id ?? '-',
    Region: cluster.region?.id ?? '-',
    'Hypershift Enabled': String(cluster.hypershift?.enabled === true),
    'Limited Support Status': limitedSupportReasons(cluster) > 0 ? 'Limited Support' : 'Fully Supported',
    'Access Protection': accessProtection === undefined ? 'unknown' : accessProtection ? 'Enabled' : 'Disabled',
  }
}

/** Aligned `Key:  value` lines; a value is one line whatever it holds (control characters escaped). */
export function keyValueLines(data: Record<string, string>): string {
  const width = Math.max(...Object.keys(data).map((k) => k.length)) + 1
  return Object.entries(data)
    .map(([k, v]) => `${`${k}:`.padEnd(width + 1)}${visible(v)}`)
    .join('\n')
}
