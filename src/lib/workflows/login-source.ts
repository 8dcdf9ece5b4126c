// Where `login` takes its cluster from when it is not named: a PagerDuty incident (`--pd`) or a JIRA OHSS
// ticket (`--ohss`). Either gives the cluster and the reason to record for elevation (the incident's or ticket's page).
import type {Services} from '../services.js'
import type {ClusterPicker} from './target-cluster.js'

import {CliError, usageError} from '../errors.js'
import {type OcmCluster, validateClusterKey} from '../ocm/clusters.js'
import {parseIssueKey} from '../jira/client.js'
import {parseIncidentRef} from '../pagerduty/incidents.js'

/** The project of OHSS tickets, and the field that holds their cluster id (Go: pkg/jira/ohssService.go). */
export const OHSS_PROJECT = 'OHSS'
export const OHSS_CLUSTER_FIELD = 'customfield_10852'

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

/** `login --ohss <KEY>`: the cluster of an OHSS ticket (its customfield_10852). */
export async function clusterFromTicket(services: Services, ref: string): Promise<LoginSource> {
  const key = parseIssueKey(ref, 'OHSS ticket')
  const jira = await services.jira()
  const issue = await jira.issue(key, ['project', 'summary', OHSS_CLUSTER_FIELD])
  const project = issue.fields?.project?.key
  if (project !== OHSS_PROJECT) {
    const shown = typeof project === 'string' ? project.slice(0, 40) : 'no project'
    throw new CliError(`${key} belongs to ${shown}, not to the ${OHSS_PROJECT} project`, {code: 'NOT_OHSS', hint: 'give an OHSS ticket, or log in with the cluster id: backplane login <cluster>'})
  }

  const raw = issue.fields?.[OHSS_CLUSTER_FIELD]
  const id = typeof raw === 'string' ? raw.trim() : ''
  if (id === '') {
    throw new CliError(`${key} names no cluster (its ${OHSS_CLUSTER_FIELD} is empty)`, {code: 'NOT_FOUND', hint: 'log in with the cluster id instead: backplane login <cluster>'})
  }

  const cluster = await services.clusters.resolve(remoteClusterKey(id, key)!)
  return {cluster, reason: jira.browseUrl(key), via: `${key}`}
}

/**
 * What login acts on: a named cluster (undefined: login resolves it), or the cluster of `--pd` / `--ohss`.
 * Exactly one of the three; anything else is a usage error, before any request.
 */
export async function loginSource(services: Services, given: {cluster?: string; ohss?: string; pd?: string}, pick?: ClusterPicker): Promise<LoginSource | undefined> {
  const named = [given.cluster === undefined ? undefined : 'a cluster', given.pd === undefined ? undefined : '--pd', given.ohss === undefined ? undefined : '--ohss'].filter(Boolean)
  if (named.length > 1) throw usageError(`give one of ${named.join(', ')}, not several`, "--pd and --ohss take the place of the cluster argument (see 'backplane login --help')")
  if (named.length === 0) throw usageError('Missing 1 required arg: cluster', "give a cluster, --pd <incident> or --ohss <ticket> (see 'backplane login --help')")
  if (given.cluster !== undefined) {
    validateClusterKey(given.cluster)
    return undefined
  }

  // Check the reference before anything else, so that a typo costs no request.
  if (given.pd !== undefined) parseIncidentRef(given.pd)
  else parseIssueKey(given.ohss!, 'OHSS ticket')
  // The backplane discovery does not depend on the incident or ticket: start it now, login awaits it.
  services.backplane().catch(() => {})
  return given.pd === undefined ? clusterFromTicket(services, given.ohss!) : clusterFromIncident(services, given.pd, pick)
}
