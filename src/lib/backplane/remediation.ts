// backplane-api remediation instances (createRemediation / deleteRemediation in the spec).
import type {BackplaneClient} from './client.js'

import {CliError} from '../errors.js'
import {urlPath} from '../ids.js'

/** Which managing cluster a remediation gets Kubernetes API access to (the spec's `managingCluster`). */
export type ManagingCluster = 'hive' | 'management' | 'service'

/** Remediation names and instance ids: what backplane names service accounts with (and what goes into a context name). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/

export function validRemediationWord(value: string): boolean {
  return NAME.test(value)
}

export interface RemediationInstance {
  instanceId: string
  /** The Kubernetes API of the instance through backplane (base URL + proxy_uri). */
  server: string
}

export class RemediationApi {
  constructor(private readonly client: BackplaneClient, private readonly clusterId: string) {}

  private get url(): string {
    return urlPath(`${this.client.baseUrl}/backplane/remediation`, this.clusterId)
  }

  async create(name: string, managing?: ManagingCluster): Promise<RemediationInstance> {
    const body = await this.client.http.postJson<{proxy_uri?: unknown; remediationInstanceId?: unknown}>(this.url, {
      headers: await this.client.auth(),
      searchParams: {remediationName: name, ...(managing ? {managingCluster: managing} : {})},
    })
    const proxyUri = body?.proxy_uri
    const instanceId = body?.remediationInstanceId
    if (typeof proxyUri !== 'string' || !proxyUri.startsWith('/') || typeof instanceId !== 'string' || !validRemediationWord(instanceId)) {
      throw new CliError('backplane answered the remediation without a usable proxy_uri and remediationInstanceId', {
        code: 'BAD_RESPONSE',
        hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)',
      })
    }

    return {instanceId, server: `${this.client.baseUrl}${proxyUri}`}
  }

  async delete(instanceId: string, managing?: ManagingCluster): Promise<void> {
    await this.client.http.json('DELETE', this.url, {
      headers: await this.client.auth(),
      searchParams: {remediationInstanceId: instanceId, ...(managing ? {managingCluster: managing} : {})},
    })
  }
}
