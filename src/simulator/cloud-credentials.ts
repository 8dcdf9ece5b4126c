// GET /backplane/cloud/credentials/{clusterId} (backplane-api CloudCredentialsResponse): temporary cloud credentials.
// `credentials` is a JSON string, as backplane sends it: AWS STS credentials for AWS clusters, the project for GCP.
// Routed through CLOUD_HANDLERS in cloud.ts, which has already found the cluster and checked access.
import {createHash} from 'node:crypto'

import type {SimCluster} from './data.js'
import type {RequestContext, SimState} from './http.js'

import {sendJson} from './http.js'

/** How long the simulated STS credentials are valid. */
export const CLOUD_CREDENTIALS_TTL_SECONDS = 3600

/** The GCP project the simulator reports for a GCP cluster. */
export function gcpProjectOf(cluster: {name: string}): string {
  return `${cluster.name}-project`
}

export function cloudCredentials(ctx: RequestContext, _state: SimState, cluster: SimCluster): void {
  const region = cluster.region.id
  if (cluster.cloud_provider.id === 'gcp') {
    sendJson(ctx.res, 200, {clusterID: cluster.id, credentials: JSON.stringify({project_id: gcpProjectOf(cluster)}), region, statusCode: 200})
    return
  }

  // Fresh, unguessable-looking values per request (never JWT-shaped: they are not OCM tokens).
  const seed = `${cluster.id}:${Date.now()}:${Math.random()}`
  const digest = (label: string, bytes: number) => createHash('sha512').update(`${label}:${seed}`).digest().subarray(0, bytes)
  const credentials = {
    AccessKeyId: `ASIA${digest('akid', 16).toString('hex').toUpperCase().slice(0, 16)}`,
    SecretAccessKey: digest('secret', 30).toString('base64'),
    SessionToken: `FwoGZXIvYXdzE${Buffer.concat([digest('session-1', 64), digest('session-2', 64)]).toString('base64')}`,
    Expiration: new Date(Date.now() + CLOUD_CREDENTIALS_TTL_SECONDS * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }
  sendJson(ctx.res, 200, {clusterID: cluster.id, credentials: JSON.stringify(credentials), region, statusCode: 200})
}
