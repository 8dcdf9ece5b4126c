import type {HttpClient} from '../http/client.js'

import {CliError} from '../errors.js'
import {urlPath} from '../ids.js'

/** POST /backplane/login/{clusterId} (backplane-api LoginResponse). */
export interface LoginResponse {
  message?: string
  proxy_uri?: string
  statusCode?: number
}

/** Calls to the backplane API. The HTTP contract is the backplane-api OpenAPI spec. */
export class BackplaneClient {
  constructor(
    readonly baseUrl: string,
    readonly http: HttpClient,
    readonly token: () => Promise<string>,
    readonly proxy?: string,
  ) {}

  /** The Authorization header of every backplane call (a valid OCM token). */
  async auth(): Promise<Record<string, string>> {
    return {authorization: `Bearer ${await this.token()}`}
  }

  /** Log in to a cluster; returns the URL of its Kubernetes API through the backplane proxy. */
  async login(clusterId: string, opts: {readonly?: boolean} = {}): Promise<string> {
    const body = await this.http.postJson<LoginResponse>(urlPath(`${this.baseUrl}/backplane/login`, clusterId), {
      headers: await this.auth(),
      searchParams: opts.readonly ? {readonly: 'true'} : undefined,
    })
    const proxyUri = body?.proxy_uri
    if (typeof proxyUri !== 'string' || !proxyUri.startsWith('/')) {
      throw new CliError('backplane answered the login without a proxy_uri', {hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)'})
    }

    return `${this.baseUrl}${proxyUri}`
  }
}

/** The cluster id in a backplane proxy URL (`…/backplane/cluster/<id>/`), or undefined. */
export function clusterIdFromServer(server: string | undefined): string | undefined {
  if (!server) return undefined
  let path: string
  try {
    path = new URL(server).pathname
  } catch {
    return undefined
  }

  const match = /\/backplane\/cluster\/([^/]+)\/?$/.exec(path)
  return match ? decodeURIComponent(match[1]) : undefined
}

/** The cluster and remediation instance of a remediation proxy URL (`…/backplane/remediate/<id>/<instance>/`), or undefined. */
export function remediationFromServer(server: string | undefined): {clusterId: string; instanceId: string} | undefined {
  if (!server) return undefined
  let path: string
  try {
    path = new URL(server).pathname
  } catch {
    return undefined
  }

  const match = /\/backplane\/remediate\/([^/]+)\/([^/]+)\/?$/.exec(path)
  return match ? {clusterId: decodeURIComponent(match[1]), instanceId: decodeURIComponent(match[2])} : undefined
}
