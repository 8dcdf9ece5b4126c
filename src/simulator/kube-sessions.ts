// Backplane sessions inside a cluster's Kubernetes API: each backplane login creates the user's service account
// (named after the md5 of the username, labelled managed.openshift.io/backplane=true) in a backplane user
// namespace, and requests through the proxy act as it. Served: the service account lists of those namespaces,
// and SelfSubjectReview (allowed without elevation, as on a real cluster).
import {createHash} from 'node:crypto'

import type {SimCluster, SimServiceAccount} from './data.js'

import {type RequestContext, sendJson} from './http.js'

export const BACKPLANE_LABEL = 'managed.openshift.io/backplane'
/** The namespace the simulator's backplane puts every user's account in. */
export const USER_SESSION_NAMESPACE = 'openshift-backplane-srep'

export function sessionAccountName(username: string): string {
  return createHash('md5').update(username).digest('hex')
}

/** What a backplane login does on the cluster: the user's account exists (created once). */
export function recordSession(cluster: SimCluster, username: string): void {
  const name = sessionAccountName(username)
  if (!cluster.sim.serviceAccounts.some((sa) => sa.namespace === USER_SESSION_NAMESPACE && sa.name === name)) {
    cluster.sim.serviceAccounts.push({labels: {[BACKPLANE_LABEL]: 'true'}, name, namespace: USER_SESSION_NAMESPACE})
  }
}

function matches(sa: SimServiceAccount, selector: string | null): boolean {
  if (!selector) return true
  return selector.split(',').every((term) => {
    const [key, value] = term.split(/==?/) as [string, string | undefined]
    return value === undefined ? sa.labels?.[key.trim()] !== undefined : sa.labels?.[key.trim()] === value.trim()
  })
}

/** `rest` is the path below /backplane/cluster/<id>/; true when it was one of these routes (and answered). */
export function handleSessions(ctx: RequestContext, cluster: SimCluster, rest: string[], username: string): boolean {
  const route = rest.join('/')
  if (route === 'apis/authentication.k8s.io/v1/selfsubjectreviews' && ctx.method === 'POST') {
    sendJson(ctx.res, 201, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: {creationTimestamp: null},
      status: {
        userInfo: {
          groups: ['system:serviceaccounts', `system:serviceaccounts:${USER_SESSION_NAMESPACE}`, 'system:authenticated'],
          username: `system:serviceaccount:${USER_SESSION_NAMESPACE}:${sessionAccountName(username)}`,
        },
      },
    })
    return true
  }

  if (rest.length === 5 && rest[0] === 'api' && rest[1] === 'v1' && rest[2] === 'namespaces' && rest[4] === 'serviceaccounts' && ctx.method === 'GET') {
    const namespace = rest[3]!
    const items = cluster.sim.serviceAccounts
      .filter((sa) => sa.namespace === namespace && matches(sa, ctx.query.get('labelSelector')))
      .map((sa) => ({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {creationTimestamp: cluster.creation_timestamp, labels: sa.labels ?? {}, name: sa.name, namespace: sa.namespace, uid: createHash('sha256').update(`${cluster.id}/${namespace}/${sa.name}`).digest('hex').slice(0, 32)},
      }))
    sendJson(ctx.res, 200, {apiVersion: 'v1', items, kind: 'ServiceAccountList', metadata: {resourceVersion: '1'}})
    return true
  }

  return false
}
