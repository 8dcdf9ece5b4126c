// Small HTTP helpers shared by the simulator's role handlers (SSO, OCM, backplane, kube).
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {SimCluster} from './data.js'
import type {AuditRecord} from './kube-store.js'
import type {TokenClaims, TokenService} from './tokens.js'

export interface SimRemediation {
  /** The cluster named in the request. */
  clusterId: string
  instanceId: string
  managingCluster?: string
  name: string
  /** The cluster whose API the instance's proxy reaches (the managing cluster when one was asked for). */
  proxyClusterId: string
  user: string
}

/** What every role handler gets for one request. The body has already been read in full. */
export interface RequestContext {
  req: IncomingMessage
  res: ServerResponse
  method: string
  /** Path without the query string, as sent (not percent-decoded). */
  path: string
  query: URLSearchParams
  body: string
}

/** The live state of one simulator instance, shared by all handlers. */
export interface SimState {
  url: string
  tokenUrl: string
  issuer: string
  tokens: TokenService
  clusters: SimCluster[]
  /** Remediation instances by id (remediation.ts). */
  remediations: Map<string, SimRemediation>
  /** Timers started by handlers (delays, watch timeouts); cleared on stop. */
  timers: Set<NodeJS.Timeout>
  /** Elevated Kubernetes requests, with their reasons (kube-store.ts). */
  audit: AuditRecord[]
  /** The simulator's log line writer (undefined when quiet). */
  log?: (line: string) => void
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  })
  res.end(body)
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body)})
  res.end(body)
}

/** The bearer token of a request, if it has an `Authorization: Bearer …` header. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (!header) return undefined
  const match = /^bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}

export type AuthResult = {ok: true; claims: TokenClaims} | {ok: false; reason: string}

/** Checks the request carries an access token this simulator issued, correctly signed and unexpired. */
export function authenticate(ctx: RequestContext, state: SimState): AuthResult {
  if (ctx.req.headers.authorization === undefined) {
    return {ok: false, reason: "Request doesn't contain the 'Authorization' header"}
  }

  const token = bearerToken(ctx.req)
  if (!token) return {ok: false, reason: "Authorization header isn't a bearer token"}
  const result = state.tokens.verify(token, 'Bearer')
  return result.ok ? {ok: true, claims: result.claims} : {ok: false, reason: result.reason}
}

/** Splits a path into its non-empty, percent-decoded segments. */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s)
      } catch {
        return s
      }
    })
}
