import type {Agents, Got, OptionsInit} from 'got'

import type {Readable} from 'node:stream'

import {Agent as HttpsAgent} from 'node:https'
import {createSecureContext, rootCertificates, type SecureContext} from 'node:tls'

import {CliError} from '../errors.js'
import {describeHttpError, excerptOf} from './errors.js'
import {tokenAllowed} from './tls.js'

export interface HttpSettings {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: string
  /** Skip TLS verification (OCM's `insecure: true`). */
  insecure?: boolean
  /** Forward proxy for every request of this client. */
  proxy?: string
  /** Name of the service, used in error messages ("backplane", "OCM", "SSO"). */
  service: string
  timeoutMs?: number
  /** Receives one line per request: method, URL, status, timing. Never headers or bodies. */
  trace?: (line: string) => void
  userAgent: string
}

export const DEFAULT_TIMEOUT_MS = 30_000

let gotModule: Promise<typeof import('got')> | undefined

/** got is loaded on first use: commands that make no request do not pay for it. */
async function loadGot(): Promise<typeof import('got')> {
  gotModule ??= import('got')
  return gotModule
}

/**
 * One TLS context per CA bundle, built once per process. The default context (Node's roots, and
 * NODE_EXTRA_CA_CERTS) is extended with the custom CA — what Node itself does for each `ca` entry — instead of
 * re-parsing the ~140 roots from PEM (`ca: [...rootCertificates, ca]`), which costs 3–4× as much.
 */
const secureContexts = new Map<string, SecureContext>()
function secureContextFor(ca: string): SecureContext {
  let context = secureContexts.get(ca)
  if (!context) {
    context = createSecureContext()
    const native = (context as SecureContext & {context?: {addCACert?: (pem: string) => void}}).context
    if (typeof native?.addCACert === 'function') native.addCACert(ca)
    else context = createSecureContext({ca: [...rootCertificates, ca]})
    secureContexts.set(ca, context)
  }

  return context
}

/** Agents shared by every client of the process (OCM, SSO, backplane), so connections are reused too. */
const directAgents = new Map<string, HttpsAgent>()
function directAgentFor(ca: string): HttpsAgent {
  let agent = directAgents.get(ca)
  if (!agent) {
    agent = new HttpsAgent({keepAlive: true, secureContext: secureContextFor(ca)})
    directAgents.set(ca, agent)
  }

  return agent
}

export async function proxyAgents(proxy: string, ca?: string): Promise<Agents> {
  const {HttpProxyAgent, HttpsProxyAgent} = await import('hpagent')
  const common = {keepAlive: false, proxy}
  return {
    http: new HttpProxyAgent(common),
    https: new HttpsProxyAgent({...common, ...(ca ? {secureContext: secureContextFor(ca)} : {})}),
  }
}

/** A got instance for one service: CA, proxy, timeout, user agent, retries of idempotent GETs, one-line errors. */
export async function createHttp(settings: HttpSettings): Promise<HttpClient> {
  const {default: got} = await loadGot()
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const options: OptionsInit = {
    headers: {'user-agent': settings.userAgent},
    hooks: {
      afterResponse: [
        (response) => {
          const started = (response.request.options.context as {started?: number})?.started
          settings.trace?.(`${response.request.options.method} ${redactUrl(response.url)} ${response.statusCode} ${started ? Date.now() - started : '?'}ms`)
          return response
        },
      ],
      beforeError: [
        (error) => {
          settings.trace?.(`${error.options?.method ?? ''} ${redactUrl(String(error.options?.url ?? ''))} failed: ${error.code}`)
          return error
        },
      ],
      beforeRedirect: [
        (options, response) => {
          // got drops Authorization when the host or port changes; a change of scheme (https → http) counts too.
          const from = new URL(response.url)
          const to = options.url instanceof URL ? options.url : new URL(String(options.url))
          if (from.origin !== to.origin || !tokenAllowed(to)) delete options.headers.authorization
        },
      ],
      beforeRequest: [
        (options) => {
          options.context = {...options.context, started: Date.now()}
        },
      ],
    },
    retry: {
      limit: 2,
      methods: ['GET', 'HEAD'],
      statusCodes: [502, 503, 504],
      errorCodes: ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'],
      backoffLimit: 2000,
    },
    throwHttpErrors: true,
    timeout: {request: timeoutMs},
  }
  if (settings.insecure) options.https = {rejectUnauthorized: false}
  if (settings.proxy) options.agent = await proxyAgents(settings.proxy, settings.ca)
  else if (settings.ca) options.agent = {https: directAgentFor(settings.ca)}
  return new HttpClient(got.extend(options), settings, timeoutMs)
}

export interface RequestOptions {
  body?: string
  form?: Record<string, string>
  headers?: Record<string, string>
  json?: unknown
  /** No retries (a caller with its own short deadline). */
  noRetry?: boolean
  searchParams?: Record<string, string>
  /** Aborts the request (rejects with an AbortError). */
  signal?: AbortSignal
  /**
   * false: a non-2xx answer resolves (statusCode, headers, the body parsed when it is JSON, else its text) instead of
   * throwing, for callers that map statuses to their own lines (PagerDuty's 429 and its Retry-After).
   */
  throwHttpErrors?: boolean
  timeoutMs?: number
}

/** How long a health probe may take. */
export const PROBE_TIMEOUT_MS = 5000

export interface ProbeResult {
  /** Why there was no answer (one line), when there was none. */
  error?: string
  ms: number
  /** The HTTP status, when the server answered. */
  status?: number
}

export interface StreamResult {
  response: {headers: Record<string, string | string[] | undefined>; statusCode: number; statusMessage?: string}
  stream: Readable
}

export interface HttpResult<T> {
  body: T
  headers: Record<string, string | string[] | undefined>
  statusCode: number
}

/** The few calls the services make. Every failure becomes one CliError line, never got's dump of request options. */
export class HttpClient {
  constructor(readonly got: Got, private readonly settings: HttpSettings, private readonly timeoutMs: number) {}

  async json<T>(method: 'DELETE' | 'GET' | 'POST' | 'PUT', url: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
    this.refuseInsecure(url, opts.headers, opts.form !== undefined)
    try {
      const response = await this.got(url, {
        method,
        ...(opts.body === undefined ? {} : {body: opts.body}),
        ...(opts.form ? {form: opts.form} : {}),
        ...(opts.json === undefined ? {} : {json: opts.json}),
        headers: {accept: 'application/json', ...opts.headers},
        searchParams: opts.searchParams,
        ...(opts.timeoutMs ? {timeout: {request: opts.timeoutMs}} : {}),
        ...(opts.noRetry ? {retry: {limit: 0}} : {}),
        ...(opts.signal ? {signal: opts.signal} : {}),
        ...(opts.throwHttpErrors === false ? {throwHttpErrors: false} : {}),
      })
      const ok = response.statusCode >= 200 && response.statusCode < 300
      const body = ok ? parseJsonBody<T>(response.body, this.settings.service, response.statusCode) : (lenientJson(response.body) as T)
      return {body, headers: response.headers, statusCode: response.statusCode}
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error
      throw error instanceof CliError ? error : describeHttpError(error, this.settings.service, {proxy: this.settings.proxy, timeoutMs: opts.timeoutMs ?? this.timeoutMs})
    }
  }

  /**
   * One request that never throws and never retries: did `url` answer, with which status, how fast?
   * For health probes (healthcheck, proxy selection). The body is discarded.
   */
  async probe(url: string, opts: {method?: 'GET' | 'HEAD'; timeoutMs?: number} = {}): Promise<ProbeResult> {
    const started = Date.now()
    try {
      const response = await this.got(url, {
        method: opts.method ?? 'GET',
        retry: {limit: 0},
        throwHttpErrors: false,
        timeout: {request: opts.timeoutMs ?? PROBE_TIMEOUT_MS},
      })
      return {ms: Date.now() - started, status: response.statusCode}
    } catch (error) {
      const line = describeHttpError(error, this.settings.service, {proxy: this.settings.proxy, timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS})
      return {error: line.message, ms: Date.now() - started}
    }
  }

  /**
   * GET a body as a stream: resolves once the server answered (any status), with the response head and the body
   * unread. Only the wait for the answer is bounded (the client's timeout); the body lasts as long as the server
   * sends it. A failure before the answer is one CliError line; an aborted `signal` rejects with its AbortError.
   */
  async openStream(url: string, opts: {headers?: Record<string, string>; searchParams?: Record<string, string>; signal?: AbortSignal} = {}): Promise<StreamResult> {
    this.refuseInsecure(url, opts.headers, false)
    const started = Date.now()
    const stream = this.got.stream(url, {
      headers: opts.headers,
      retry: {limit: 0},
      searchParams: opts.searchParams,
      throwHttpErrors: false,
      timeout: {request: undefined, response: this.timeoutMs},
      ...(opts.signal ? {signal: opts.signal} : {}),
    })
    const shown = redactUrl(`${url}${opts.searchParams ? `?${new URLSearchParams(opts.searchParams)}` : ''}`)
    try {
      const response = await new Promise<StreamResult['response']>((resolve, reject) => {
        stream.once('response', resolve)
        stream.once('error', reject)
      })
      this.settings.trace?.(`GET ${shown} ${response.statusCode} ${Date.now() - started}ms (streaming)`)
      stream.once('end', () => this.settings.trace?.(`GET ${shown} body ended after ${Date.now() - started}ms`))
      return {response, stream}
    } catch (error) {
      stream.destroy()
      if ((error as Error).name === 'AbortError') throw error
      this.settings.trace?.(`GET ${shown} failed: ${(error as {code?: string}).code ?? (error as Error).message}`)
      throw describeHttpError(error, this.settings.service, {proxy: this.settings.proxy, timeoutMs: this.timeoutMs})
    }
  }

  /** The last line of defence for "tokens only over TLS": no credential leaves over plain http except to this machine. */
  private refuseInsecure(url: string, headers: Record<string, string> | undefined, hasForm: boolean): void {
    const carriesSecret = hasForm || Object.keys(headers ?? {}).some((h) => h.toLowerCase() === 'authorization')
    if (!carriesSecret) return
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return
    }

    if (!tokenAllowed(parsed)) {
      throw new CliError(`refusing to send a token to ${parsed.protocol}//${parsed.host} over plain http`, {
        code: 'INSECURE_URL',
        hint: 'use an https:// URL (plain http:// only to 127.0.0.1, ::1 or localhost)',
      })
    }
  }

  async getJson<T>(url: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.json<T>('GET', url, opts)).body
  }

  async postJson<T>(url: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.json<T>('POST', url, opts)).body
  }
}

function parseJsonBody<T>(body: string, service: string, status: number): T {
  if (body.trim() === '') return undefined as T
  try {
    return JSON.parse(body) as T
  } catch {
    throw new CliError(`${service} answered ${status} with a body that is not JSON ("${excerptOf(body, 60)}")`, {
      code: 'BAD_RESPONSE',
      hint: 'check the URL points at the right service',
    })
  }
}

/** An error body: parsed when it is JSON, else its text. */
function lenientJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_token|token)=)[^&]+/gi, '$1[REDACTED]')
}
