import type {BackplaneClient} from './client.js'

import {CliError} from '../errors.js'
import {urlPath} from '../ids.js'

/** backplane-api CloudCredentialsResponse, as GET /backplane/cloud/credentials/{clusterId} answers. */
export interface CloudCredentialsAnswer {
  clusterID?: string
  /** A JSON string: AWS STS credentials, or `{"project_id": …}` for GCP. */
  credentials?: string
  region?: string
  statusCode?: number
}

/** GET /backplane/cloud/credentials/{clusterId}: temporary credentials for the cluster's cloud account. */
export async function fetchCloudCredentials(client: BackplaneClient, clusterId: string): Promise<CloudCredentialsAnswer & {credentials: string}> {
  const body = await client.http.getJson<CloudCredentialsAnswer>(urlPath(`${client.baseUrl}/backplane/cloud/credentials`, clusterId), {
    headers: await client.auth(),
  })
  if (!body || typeof body !== 'object' || typeof body.credentials !== 'string' || body.credentials.trim() === '') {
    throw new CliError(`backplane answered without cloud credentials for cluster ${clusterId}`, {
      code: 'BAD_RESPONSE',
      hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)',
    })
  }

  return {...body, credentials: body.credentials}
}
