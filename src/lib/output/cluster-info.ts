import {visible} from './visible.js'
import {clusterState, clusterVersion, type OcmCluster} from '../ocm/clusters.js'

/** The facts `--cluster-info` shows, in display order. */
export function clusterInfo(cluster: OcmCluster): Record<string, string> {
  return {
    'Cluster ID': cluster.id,
    'Cluster Name': cluster.name,
    State: clusterState(cluster),
    Version: clusterVersion(cluster) ?? '-',
    Provider: cluster.cloud_provider?.id ?? '-',
    Region: cluster.region?.id ?? '-',
  }
}

/** Aligned `Key:  value` lines; a value is one line whatever it holds (control characters escaped). */
export function keyValueLines(data: Record<string, string>): string {
  const width = Math.max(...Object.keys(data).map((k) => k.length)) + 1
  return Object.entries(data)
    .map(([k, v]) => `${`${k}:`.padEnd(width + 1)}${visible(v)}`)
    .join('\n')
}
