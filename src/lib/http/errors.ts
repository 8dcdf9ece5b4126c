import {CliError, redact} from '../errors.js'

interface GotLikeError {
  code?: string
  event?: string
  message: string
  name?: string
  options?: {method?: string; url?: URL | string}
  request?: {retryCount?: number}
  response?: {body?: unknown; headers: Record<string, string | string[] | undefined>; statusCode: number; statusMessage?: string}
  timings?: unknown
}

const CONNECTION_HINTS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EPIPE: 'connection closed',
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** Turn a got error (or any network error) into one line a user can act on. Never includes headers or tokens. */
export function describeHttpError(error: unknown, service: string, ctx: {proxy?: string; timeoutMs?: number} = {}): CliError {
  const err = error as GotLikeError
  const url = err.options?.url ? String(err.options.url) : undefined
  const where = url ? safeOrigin(url) : service

  const code = err.code ?? ''
  // Before the response check: a body that stalls after the headers times out with the response attached.
  if (code === 'ETIMEDOUT' || code === 'ERR_TIMEOUT' || err.name === 'TimeoutError' || /timeout/i.test(err.message)) {
    const secs = ctx.timeoutMs ? ` within ${Number((ctx.timeoutMs / 1000).toFixed(1))}s` : ''
    const attempts = (err.request?.retryCount ?? 0) + 1
    const tries = attempts > 1 ? ` (${attempts} attempts)` : ''
    const what = requestLine(err)
    const line = err.response
      ? `${service} at ${where} answered ${what ? `${what} ` : ''}but did not send the whole body${secs}${tries}`
      : `${service} at ${where} did not answer${what ? ` ${what}` : ''}${secs}${tries}`
    return new CliError(line, {code: 'TIMEOUT', hint: 'check your network, VPN or proxy and retry (BACKPLANE_TIMEOUT sets the seconds per attempt)'})
  }

  if (err.response) return describeHttpResponse(service, err.response.statusCode, err.response.statusMessage, err.response.body, err.response.headers)

  if (TLS_CODES.has(code) || /certificate/i.test(err.message)) {
    return new CliError(`the TLS certificate of ${service} at ${where} is not trusted (${code || 'certificate error'})`, {
      code: 'TLS',
      hint: 'point BACKPLANE_CA_FILE (or ca-file in the backplane config) at your CA bundle',
    })
  }

  if (ctx.proxy && (code === 'ECONNREFUSED' || /proxy/i.test(err.message))) {
    return new CliError(`cannot reach ${service} through proxy ${safeOrigin(ctx.proxy)} (${CONNECTION_HINTS[code] ?? (code || err.message)})`, {
      code: 'PROXY',
      hint: 'check the proxy (--proxy, HTTPS_PROXY or proxy-url in the backplane config)',
    })
  }

  const reason = CONNECTION_HINTS[code] ?? (code || redact(err.message.split('\n')[0]))
  return new CliError(`cannot reach ${service} at ${where} (${reason})`, {code: 'UNREACHABLE', hint: 'check the URL, your network and VPN'})
}

/** One line for a non-2xx answer: the API's own message when it sent JSON, else the status and a short excerpt. */
export function describeHttpResponse(
  service: string,
  status: number,
  statusMessage: string | undefined,
  body: unknown,
  headers: Record<string, string | string[] | undefined> = {},
): CliError {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body)
  const statusText = `${status}${statusMessage ? ` ${statusMessage}` : ''}`
  const message = apiMessage(text, String(headers['content-type'] ?? ''))
  const hint = hintForStatus(status, service)
  const apiBody = jsonBody(text)
  if (message) return new CliError(`${service} answered ${statusText}: ${message}`, {apiBody, code: `HTTP_${status}`, hint})
  const excerpt = excerptOf(text)
  return new CliError(`${service} answered ${statusText}${excerpt ? ` ("${excerpt}")` : ' with an empty body'}`, {apiBody, code: `HTTP_${status}`, hint})
}

function hintForStatus(status: number, service: string): string | undefined {
  if (status === 401) return service === 'SSO' ? "run 'ocm login' again" : "your OCM session is not accepted: run 'ocm login' again"
  if (status === 403) return 'ask for access to this cluster, or check that you are logged in to the right OCM environment'
  if (status === 404) return 'check the cluster and the backplane URL'
  if (status >= 500) return `${service} is failing: retry later`
  return 'check the arguments; --verbose shows the request'
}

/** An error body that is a JSON object (what `--raw` prints), else undefined. */
function jsonBody(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{')) return undefined
  try {
    const data = JSON.parse(trimmed) as unknown
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function apiMessage(text: string, contentType: string): string | undefined {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') && !/json/i.test(contentType)) return undefined
  try {
    const data = JSON.parse(trimmed) as Record<string, unknown>
    const candidates = [data.message, data.reason, data.error_description, data.error, data.details]
    const found = candidates.find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined
    return found ? oneLine(redact(found), 300) : undefined
  } catch {
    return undefined
  }
}

export function excerptOf(text: string, max = 80): string {
  const plain = text
    .replace(/<(script|style)[^]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\P{C}\t]/gu, ' ')
  return oneLine(redact(plain), max)
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** `GET /api/clusters_mgmt/v1/clusters` (no query: it may hold a search or a token). */
function requestLine(err: GotLikeError): string {
  const url = err.options?.url
  if (!url || !err.options?.method) return ''
  try {
    return `${err.options.method} ${new URL(String(url)).pathname}`
  } catch {
    return ''
  }
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'the configured URL'
  }
}
