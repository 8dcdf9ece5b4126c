import type {HttpClient, HttpSettings} from '../http/client.js'

import {CliError} from '../errors.js'
import {createHttp} from '../http/client.js'
import {loadOcmConfig, NOT_LOGGED_IN, type OcmConfig, saveOcmTokens} from './config.js'
import {isExpiring} from './jwt.js'

/** HTTPS_PROXY applies to OCM and SSO as to any HTTPS client, except for hosts NO_PROXY names. */
export function envProxyFor(url: string, env: NodeJS.ProcessEnv): string | undefined {
  const proxy = env.HTTPS_PROXY || env.https_proxy
  if (!proxy) return undefined
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return undefined
  }

  const noProxy = (env.NO_PROXY || env.no_proxy || '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)
  const bypass = noProxy.some((entry) => entry === '*' || host === entry.replace(/^\./, '') || host.endsWith(entry.startsWith('.') ? entry : `.${entry}`))
  return bypass ? undefined : proxy
}

export interface TokenResponse {
  access_token?: string
  refresh_token?: string
}

export interface OcmSessionOptions {
  /** Trusted CA bundle (PEM) for OCM and SSO. */
  ca?: string
  /** Loads the CA bundle when first needed (instead of `ca`). */
  caLoader?: () => Promise<string | undefined>
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
  trace?: (line: string) => void
  userAgent: string
}

/**
 * The user's OCM login: its config file, a valid access token (refreshed and saved when needed),
 * and HTTP clients for OCM and SSO.
 */
export class OcmSession {
  private configPromise?: Promise<OcmConfig>
  private http?: Promise<HttpClient>
  private tokenPromise?: Promise<string>

  constructor(private readonly opts: OcmSessionOptions) {}

  config(): Promise<OcmConfig> {
    this.configPromise ??= loadOcmConfig(this.opts.env ?? process.env)
    return this.configPromise
  }

  /** A valid access token: the stored one, or a refreshed one written back to the OCM config. */
  accessToken(): Promise<string> {
    this.tokenPromise ??= this.resolveToken()
    return this.tokenPromise
  }

  async client(): Promise<HttpClient> {
    this.http ??= this.config().then(async (config) => createHttp(await this.httpSettings(config, 'OCM', config.url)))
    return this.http
  }

  /** GET an OCM API path (e.g. `/api/clusters_mgmt/v1/clusters`) with the user's token. */
  async get<T>(path: string, searchParams?: Record<string, string>): Promise<T> {
    const [config, http, token] = await Promise.all([this.config(), this.client(), this.accessToken()])
    return http.getJson<T>(`${config.url}${path}`, {headers: {authorization: `Bearer ${token}`}, searchParams})
  }

  async post<T>(path: string, json?: unknown): Promise<T> {
    const [config, http, token] = await Promise.all([this.config(), this.client(), this.accessToken()])
    return http.postJson<T>(`${config.url}${path}`, {headers: {authorization: `Bearer ${token}`}, json: json ?? {}})
  }

  private async httpSettings(config: OcmConfig, service: string, url: string): Promise<HttpSettings> {
    const ca = this.opts.ca ?? (await this.opts.caLoader?.())
    const proxy = envProxyFor(url, this.opts.env ?? process.env)
    return {ca, insecure: config.insecure, proxy, service, timeoutMs: this.opts.timeoutMs, trace: this.opts.trace, userAgent: this.opts.userAgent}
  }

  private async resolveToken(): Promise<string> {
    const config = await this.config()
    if (config.accessToken && !isExpiring(config.accessToken)) return config.accessToken
    if (!config.refreshToken || isExpiring(config.refreshToken, 0)) {
      if (config.accessToken || config.refreshToken) {
        throw new CliError('not logged in to OCM: the access token has expired and there is no usable refresh token', {code: 'NOT_LOGGED_IN', hint: "run 'ocm login'"})
      }

      throw NOT_LOGGED_IN()
    }

    return this.refreshWith(config)
  }

  /**
   * For a long-running command (a proxy that sends a token with every request): the token while it is valid for
   * more than a minute, else the OCM config read again (another process may have refreshed it) and refreshed if needed.
   */
  async currentAccessToken(): Promise<string> {
    const token = await this.accessToken().catch(() => undefined)
    if (token && !isExpiring(token)) return token
    this.configPromise = undefined
    this.tokenPromise = undefined
    try {
      return await this.accessToken()
    } catch (error) {
      this.tokenPromise = undefined
      throw error
    }
  }

  /** Trade the refresh token for a new access token now (saved to the OCM config), whatever the current one's expiry. */
  async refresh(): Promise<string> {
    const config = await this.config()
    if (!config.refreshToken) throw NOT_LOGGED_IN()
    const token = await this.refreshWith(config)
    this.tokenPromise = Promise.resolve(token)
    return token
  }

  private async refreshWith(config: OcmConfig): Promise<string> {
    if (!config.refreshToken) throw NOT_LOGGED_IN()
    const sso = await createHttp(await this.httpSettings(config, 'SSO', config.tokenUrl))
    const form: Record<string, string> = {client_id: config.clientId, grant_type: 'refresh_token', refresh_token: config.refreshToken}
    if (config.clientSecret) form.client_secret = config.clientSecret
    let body: TokenResponse
    try {
      body = await sso.postJson<TokenResponse>(config.tokenUrl, {form})
    } catch (error) {
      if (error instanceof CliError && (error.code === 'HTTP_400' || error.code === 'HTTP_401')) {
        throw new CliError('not logged in to OCM: the session has expired (SSO rejected the token refresh)', {code: 'NOT_LOGGED_IN', hint: "run 'ocm login'"})
      }

      throw error
    }

    if (!body || typeof body.access_token !== 'string' || body.access_token === '') {
      throw new CliError(`SSO at ${new URL(config.tokenUrl).host} answered without an access token`, {hint: "run 'ocm login'"})
    }

    await saveOcmTokens(config, {accessToken: body.access_token, refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined})
    return body.access_token
  }
}
