import type {Agents, Got, OptionsInit} from 'got'

import {type Readable, Transform} from 'node:stream'

import {type Agent, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, request as httpRequest} from 'node:http'
import {Agent as HttpsAgent, request as httpsRequest} from 'node:https'
import {createSecureContext, rootCertificates, type SecureContext} from 'node:tls'

import {CliError} from '../errors.js'
import {describeHttpError, excerptOf} from './errors.js'
import {tokenAllowed} from './tls.js'

export interface HttpSettings {
  /** Headers sent with every request of this client (backplane: Backplane-Version). */
  headers?: Record<string, string>
  /** Sees the headers of every answer (backplane: Deprecated-Client). */
  onResponse?: (headers: Record<string, string | string[] | undefined>) => void
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: string
  /** Skip TLS verification (OCM's `insecure: true`). */
  insecure?: boolean
  /** Forward proxy for every request of this client. */
  proxy?: string
  /** Name of the service, used in error messages ("backplane", "OCM", "SSO"). */
  service: string
  /** Largest body buffered (after decompression); default 32 MiB. */
  maxBodyBytes?: number
  /** Each attempt's deadline, body included (BACKPLANE_TIMEOUT); default 30 s. */
  timeoutMs?: number
  /** Receives one line per request: method, URL, status, timing. Never headers or bodies. */
  trace?: (line: string) => void
  userAgent: string
}

export const DEFAULT_TIMEOUT_MS = 30_000
/** The most a buffered answer (JSON, error bodies, the JSON form of logs) may be, after decompression. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024

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
    headers: {...settings.headers, 'user-agent': settings.userAgent},
    hooks: {
      afterResponse: [
        (response) => {
          const started = (response.request.options.context as {started?: number})?.started
          settings.trace?.(`${response.request.options.method} ${redactUrl(response.url)} ${response.statusCode} ${started ? Date.now() - started : '?'}ms`)
          settings.onResponse?.(response.headers)
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
  return new HttpClient(got.extend(options), settings, timeoutMs, settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
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
  constructor(
    private readonly got: Got,
    private readonly settings: HttpSettings,
    private readonly timeoutMs: number,
    readonly maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES,
  ) {}

  async json<T>(method: 'DELETE' | 'GET' | 'POST' | 'PUT', url: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
    this.refuseInsecure(url, opts.headers, opts.form !== undefined)
    // The body is buffered: at most maxBodyBytes of it (counted after decompression, so a gzip bomb stops
    // there too), and the attempt's deadline (timeout.request) runs until its last byte.
    let tooLarge = false
    const request = this.got(url, {
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
    const limit = () => {
      if (tooLarge) return
      tooLarge = true
      request.cancel()
    }

    request.on('downloadProgress', (progress: {transferred: number}) => {
      if (progress.transferred > this.maxBodyBytes) limit()
    })
    try {
      const response = await request
      const ok = response.statusCode >= 200 && response.statusCode < 300
      const body = ok ? parseJsonBody<T>(response.body, this.settings.service, response.statusCode) : (lenientJson(response.body) as T)
      return {body, headers: response.headers, statusCode: response.statusCode}
    } catch (error) {
      if (tooLarge) throw this.bodyTooLarge(method, url)
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
    // The status is the answer: the body is never read (an endless one cannot cost memory or time).
    const stream = this.got.stream(url, {
      method: opts.method ?? 'GET',
      retry: {limit: 0},
      throwHttpErrors: false,
      timeout: {request: opts.timeoutMs ?? PROBE_TIMEOUT_MS},
    })
    try {
      const status = await new Promise<number>((resolve, reject) => {
        stream.once('response', (response: {statusCode: number}) => resolve(response.statusCode))
        stream.once('error', reject)
      })
      const ms = Date.now() - started
      this.settings.trace?.(`${opts.method ?? 'GET'} ${redactUrl(url)} ${status} ${ms}ms`)
      return {ms, status}
    } catch (error) {
      const line = describeHttpError(error, this.settings.service, {proxy: this.settings.proxy, timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS})
      return {error: line.message, ms: Date.now() - started}
    } finally {
      stream.destroy()
    }
  }

  /**
   * GET a body as a stream: resolves once the server answered (any status), with the response head and the body
   * unread. The wait for the answer is bounded (the client's timeout); with `idle`, so is every silence in the
   * body (a server that stalls after the headers fails with a TIMEOUT line), else the body lasts as long as the
   * server sends it (`logs -f`). A failure before the answer is one CliError line; an aborted `signal` rejects
   * with its AbortError. Read small bodies of it with readAll (capped, with a deadline).
   */
  async openStream(
    url: string,
    opts: {headers?: Record<string, string>; idle?: boolean; searchParams?: Record<string, string>; signal?: AbortSignal} = {},
  ): Promise<StreamResult> {
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
      return {response, stream: opts.idle ? this.idleGuard(stream, {method: 'GET', url}, this.timeoutMs) : stream}
    } catch (error) {
      stream.destroy()
      if ((error as Error).name === 'AbortError') throw error
      this.settings.trace?.(`GET ${shown} failed: ${(error as {code?: string}).code ?? (error as Error).message}`)
      throw describeHttpError(error, this.settings.service, {proxy: this.settings.proxy, timeoutMs: this.timeoutMs})
    }
  }

  /** The error for an answer over the cap. */
  bodyTooLarge(method: string, url: string): CliError {
    let where = url
    try {
      const u = new URL(url)
      where = `${u.origin}${u.pathname}`
    } catch {}

    return new CliError(`${this.settings.service} answered ${method} ${where} with more than ${formatSize(this.maxBodyBytes)}; stopped reading`, {
      code: 'TOO_LARGE',
      hint: 'check the URL points at the right service; the server may be broken or hostile',
    })
  }

  /**
   * Read a body stream to its end within `deadlineMs` (else a TIMEOUT line naming the request). More than `max`
   * bytes (default maxBodyBytes) is an error, or with `truncate` the first `max` bytes, the rest left unread.
   */
  async readAll(stream: Readable, what: {method: string; url: string}, o: {deadlineMs?: number; max?: number; truncate?: boolean} = {}): Promise<Buffer> {
    const max = o.max ?? this.maxBodyBytes
    const deadlineMs = o.deadlineMs ?? this.timeoutMs
    const chunks: Buffer[] = []
    let size = 0
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      stream.destroy()
    }, deadlineMs)
    try {
      for await (const chunk of stream) {
        const buffer = chunk as Buffer
        if (size + buffer.length > max) {
          stream.destroy()
          if (!o.truncate) throw this.bodyTooLarge(what.method, what.url)
          chunks.push(buffer.subarray(0, max - size))
          size = max
          break
        }

        size += buffer.length
        chunks.push(buffer)
      }
    } catch (error) {
      if (error instanceof CliError) throw error
      if (timedOut) throw this.stalled(what, deadlineMs)
      if (o.truncate) return Buffer.concat(chunks)
      throw describeHttpError(error, this.settings.service, {proxy: this.settings.proxy, timeoutMs: deadlineMs})
    } finally {
      clearTimeout(timer)
    }

    if (timedOut) throw this.stalled(what, deadlineMs)
    return Buffer.concat(chunks)
  }

  private stalled(what: {method: string; url: string}, ms: number): CliError {
    let where = what.url
    let path = ''
    try {
      const u = new URL(what.url)
      where = u.origin
      path = u.pathname
    } catch {}

    return new CliError(`${this.settings.service} at ${where} answered ${what.method} ${path} but sent nothing more for ${Number((ms / 1000).toFixed(1))}s`, {
      code: 'TIMEOUT',
      hint: 'check your network, VPN or proxy and retry (BACKPLANE_TIMEOUT sets the seconds per attempt)',
    })
  }

  /**
   * `source` through a stream that fails with a TIMEOUT line when the server sends nothing for `idleMs` (one that
   * stalls after the headers, or mid-body). Each chunk restarts the clock; a reader that is slow to take the
   * data (a paused pager) does not count as a stall. Backpressure passes through.
   */
  private idleGuard(source: Readable, what: {method: string; url: string}, idleMs: number): Readable {
    let timer: NodeJS.Timeout | undefined
    const guard = new Transform({
      transform(chunk, _encoding, done) {
        arm()
        done(null, chunk)
      },
    })
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        if (guard.readableLength > 0 || guard.writableNeedDrain) {
          arm()
          return
        }

        source.destroy()
        guard.destroy(this.stalled(what, idleMs))
      }, idleMs)
    }

    arm()
    source.once('error', (error) => guard.destroy(error))
    guard.once('close', () => {
      clearTimeout(timer)
      source.destroy()
    })
    source.pipe(guard)
    return guard
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

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MiB` : `${bytes} bytes`
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

/**
 * A pass-through client for a reverse proxy (`backplane monitoring`): bytes go both ways untouched (no
 * decompression, no retries, no body limits, nothing buffered), through the backplane proxy when there is one.
 */
export class Forwarder {
  constructor(private readonly agents: {http?: Agent; https?: Agent}, private readonly settings: {proxy?: string; service: string; timeoutMs: number}) {}

  /**
   * Start a request; write the body into `request` and end it. `response` resolves with the answer's head (any
   * status), its body unread; it rejects with one CliError line when there is no answer.
   */
  open(method: string, url: URL, headers: OutgoingHttpHeaders): {request: ClientRequest; response: Promise<IncomingMessage>} {
    const https = url.protocol === 'https:'
    const request = (https ? httpsRequest : httpRequest)(url, {agent: https ? this.agents.https : this.agents.http, headers, method})
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      // Only the wait for the head is bounded: a long query or an event stream may then last as long as it does.
      const timer = setTimeout(() => request.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'})), this.settings.timeoutMs)
      request.once('response', (res) => {
        clearTimeout(timer)
        resolve(res)
      })
      request.once('error', (error) => {
        clearTimeout(timer)
        reject(describeHttpError(Object.assign(error, {options: {url}}), this.settings.service, {proxy: this.settings.proxy, timeoutMs: this.settings.timeoutMs}))
      })
    })
    response.catch(() => {}) // the caller may end the request before it awaits the answer
    return {request, response}
  }

  /** Close the connections it keeps. */
  close(): void {
    this.agents.http?.destroy()
    this.agents.https?.destroy()
  }
}

export async function createForwarder(settings: {ca?: string; proxy?: string; service: string; timeoutMs?: number}): Promise<Forwarder> {
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (settings.proxy) {
    const {HttpProxyAgent, HttpsProxyAgent} = await import('hpagent')
    const common = {keepAlive: true, proxy: settings.proxy}
    return new Forwarder(
      {http: new HttpProxyAgent(common), https: new HttpsProxyAgent({...common, ...(settings.ca ? {secureContext: secureContextFor(settings.ca)} : {})})},
      {proxy: settings.proxy, service: settings.service, timeoutMs},
    )
  }

  const https = new HttpsAgent({keepAlive: true, ...(settings.ca ? {secureContext: secureContextFor(settings.ca)} : {})})
  return new Forwarder({https}, {service: settings.service, timeoutMs})
}
