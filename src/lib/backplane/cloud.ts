import type {BackplaneClient} from './client.js'

import {CliError} from '../errors.js'
import {urlPath} from '../ids.js'

/** backplane-api CloudCredentialsResponse (the answer of the /backplane/cloud/… endpoints). */
export interface CloudCredentialsResponse {
  clusterID?: string
  consoleLink?: string
  credentials?: string
  region?: string
  statusCode?: number
}

/** GET /backplane/cloud/console/{clusterId}: a link to the cluster's cloud provider console. */
export async function getCloudConsole(client: BackplaneClient, clusterId: string): Promise<CloudCredentialsResponse & {consoleLink: string}> {
  const body = await client.http.getJson<CloudCredentialsResponse>(urlPath(`${client.baseUrl}/backplane/cloud/console`, clusterId), {
    headers: await client.auth(),
  })
  if (!body || typeof body.consoleLink !== 'string' || body.consoleLink === '') {
    throw new CliError(`backplane answered without a console link for cluster ${clusterId}`, {
      code: 'BAD_RESPONSE',
      hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)',
    })
  }

  return {...body, consoleLink: body.consoleLink}
}
