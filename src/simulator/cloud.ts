// The backplane-api cloud endpoints, /backplane/cloud/…: one handler per area, keyed by the segment after
// `cloud` (console here; credentials can sit beside it in CLOUD_HANDLERS). Answers are CloudCredentialsResponse.
import {createHash} from 'node:crypto'

import type {SimCluster} from './data.js'

import {backplaneError} from './backplane.js'
import {cloudCredentials} from './cloud-credentials.js'
import {type RequestContext, type SimState, sendJson} from './http.js'

/** A handler for /backplane/cloud/<area>/<clusterId>; it gets the cluster already found and allowed. */
export type CloudHandler = (ctx: RequestContext, state: SimState, cluster: SimCluster) => void

export const CLOUD_HANDLERS: Record<string, CloudHandler> = {
  console: cloudConsole,
  credentials: cloudCredentials,
}

/** Handles /backplane/cloud/<area>/<clusterId> (segments as pathSegments gives them: backplane, cloud, …). */
export function handleCloud(ctx: RequestContext, state: SimState, segments: string[], username: string): void {
  const handler = segments.length === 4 ? CLOUD_HANDLERS[segments[2]!] : undefined
  if (!handler) {
    backplaneError(ctx, 404, `${ctx.method} ${ctx.path} is not implemented by the backplane simulator`)
    return
  }

  if (ctx.method !== 'GET') {
    backplaneError(ctx, 405, `method ${ctx.method} not allowed on ${ctx.path}`)
    return
  }

  const clusterId = segments[3]!
  const cluster = state.clusters.find((c) => c.id === clusterId)
  if (!cluster) {
    backplaneError(ctx, 404, `cluster ${clusterId} not found`)
    return
  }

  if (cluster.sim.loginForbidden) {
    backplaneError(ctx, 403, `user ${username} is not allowed to access cluster ${cluster.id}`)
    return
  }

  handler(ctx, state, cluster)
}

/** GET /backplane/cloud/console/{clusterId}: a federated sign-in link (AWS) or the project's console (GCP). */
function cloudConsole(ctx: RequestContext, _state: SimState, cluster: SimCluster): void {
  const region = cluster.region.id
  const digest = createHash('sha256').update(`signin:${cluster.id}:${Date.now()}`).digest('base64url')
  const consoleLink =
    cluster.cloud_provider.id === 'gcp'
      ? `https://console.cloud.google.com/home/dashboard?project=${encodeURIComponent(cluster.name)}`
      : `https://signin.aws.amazon.com/federation?Action=login&Issuer=backplane&Destination=${encodeURIComponent(
          `https://${region}.console.aws.amazon.com/console/home?region=${region}`,
        )}&SigninToken=${digest}`
  sendJson(ctx.res, 200, {clusterID: cluster.id, consoleLink, region, statusCode: 200})
}
