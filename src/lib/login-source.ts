// Where `login` takes its cluster from when it is not named: a PagerDuty incident (`--pd`) or a JIRA OHSS
// ticket (`--ohss`). Either gives the cluster and the reason to record for elevation (the incident's or ticket's page).
import type {Services} from './services.js'
import type {ClusterPicker} from './target-cluster.js'

import {CliError} from './errors.js'
import {type OcmCluster, validateClusterKey} from './ocm/clusters.js'
import {parseIncidentRef} from './pagerduty/incidents.js'

export interface LoginSource {
  cluster: OcmCluster
  /** The incident's or ticket's page, stored as the elevation reason of the new context. */
  reason?: string
  /** What the cluster came from, for the report ("PagerDuty incident Q1…"). */
  via: string
}

/** A cluster id as a remote service gave it, checked before it goes into an OCM search. */
function remoteClusterKey(id: string, where: string): string | undefined {
  try {
    return validateClusterKey(id)
  } catch {
    throw new CliError(`${where} names a cluster id that is not one ("${id.slice(0, 80)}")`, {hint: 'log in with the cluster id instead: backplane login <cluster>'})
  }
}

/** `login --pd <id | URL>`: the one cluster the incident's alerts name (the picker when several, on a terminal). */
export async function clusterFromIncident(services: Services, ref: string, pick?: ClusterPicker): Promise<LoginSource> {
  const incidentId = parseIncidentRef(ref)
  const pd = await services.pagerDuty()
  const incident = await pd.incidentClusters(incidentId)
  const where = `PagerDuty incident ${incidentId}`
  if (incident.clusterIds.length === 0) {
    throw new CliError(`${where} has no alert that names a cluster (no cluster_id in its alerts' details)`, {code: 'NOT_FOUND', hint: 'log in with the cluster id instead: backplane login <cluster>'})
  }

  const keys = incident.clusterIds.map((id) => remoteClusterKey(id, where)!)
  const clusters = await Promise.all(keys.map((key) => services.clusters.resolve(key)))
  const distinct = [...new Map(clusters.map((c) => [c.id, c])).values()]
  let cluster = distinct[0]
  if (distinct.length > 1) {
    if (!pick) {
      const list = distinct.map((c) => `${c.name} (${c.id})`).join(', ')
      throw new CliError(`${where} has alerts for ${distinct.length} clusters: ${list}`, {code: 'AMBIGUOUS', hint: 'log in to one of them with backplane login <cluster>'})
    }

    cluster = await pick(distinct)
  }

  const reason = incident.htmlUrl ?? (/^https?:\/\/\S+$/.test(ref.trim()) ? ref.trim() : undefined)
  return {cluster, reason, via: where}
}
