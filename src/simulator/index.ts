// A real local HTTPS server that plays SSO, OCM, backplane and a small Kubernetes API, for tests and demos.
// One server, one port, all roles:
//   POST /auth/realms/redhat-external/protocol/openid-connect/token   SSO (sso.ts)
//   /api/…                                                            OCM (ocm.ts)
//   /backplane/cluster/{id}/…                                         Kubernetes API via backplane (kube.ts)
//   /backplane/{prometheus|alertmanager|thanos|grafana}/{id}/…        monitoring proxies (monitoring.ts)
//   /backplane/remediate/{id}/{instance}/…                            Kubernetes API as a remediation (kube.ts)
//   /backplane/…                                                      backplane-api (backplane.ts)
//   GET /healthz                                                      "ok", no auth
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {createServer} from 'node:https'
import type {AddressInfo, Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {gzipSync} from 'node:zlib'
import {join, resolve} from 'node:path'

import {type AccessRequestOptions, type AccessRequestsControl, DEBUG_PREFIX, accessRequestsControl, handleAccessDebug} from './access-transparency.js'
import {deprecatedVersionsOf, handleBackplane, isReportsPath} from './backplane.js'
import {SIMULATOR_CA_PEM, SIMULATOR_SERVER_CERT_PEM, SIMULATOR_SERVER_KEY_PEM} from './certs.js'
import {type SimCluster, seedClusters} from './data.js'
import {generateFleet} from './fleet.js'
import {type RequestContext, type SimRemediation, type SimState, sendJson, sendText} from './http.js'
import {KUBE_PROXY_PREFIX, REMEDIATE_PROXY_PREFIX, handleKube} from './kube.js'
import {JIRA_PREFIX, type JiraControl, handleJira, jiraOf} from './jira.js'
import type {AuditRecord} from './kube-store.js'
import {handleMonitoring, isMonitoringPath} from './monitoring.js'
import {handleOcm} from './ocm.js'
import {PAGERDUTY_PREFIX, type SimIncident, handlePagerDuty, incidentsOf} from './pagerduty.js'
import {type ScriptSimOptions, type ScriptsControl, scriptsControl} from './scripts.js'
import {REALM_PATH, TOKEN_PATH, handleSso} from './sso.js'
import {DEFAULT_USERNAME, TokenService} from './tokens.js'

export {SEED, FORBIDDEN_NAMESPACE, COMMON_NAMESPACES, appNamespace, makeCluster, seedClusters, toOcmCluster} from './data.js'
export type {ClusterSpec, OcmCluster, SimCluster, SimServiceAccount} from './data.js'
export {faultIndexes, generateFleet} from './fleet.js'
export type {FleetFault, FleetOptions} from './fleet.js'
export {MAX_PAGE_SIZE} from './ocm.js'
export type {SimRemediation} from './http.js'
export {REMEDIATIONS} from './remediation.js'
export {DEFAULT_USERNAME} from './tokens.js'
export {sessionAccountName} from './kube-sessions.js'
export {PD_INCIDENTS, SIM_PD_KEY, incidentUrl} from './pagerduty.js'
export type {SimIncident} from './pagerduty.js'
export type {AccessRequestOptions, AccessRequestsControl, SimAccessRequest} from './access-transparency.js'
export {JIRA_ISSUES, SIM_JIRA_EMAIL, SIM_JIRA_TOKEN} from './jira.js'
export type {JiraControl, SimIssue} from './jira.js'
export {ELEVATED_USER} from './kube-store.js'
export type {AuditRecord} from './kube-store.js'
export type {TokenClaims} from './tokens.js'

export interface SimulatorOptions {
  /** Where to write ca.pem, ocm.json and backplane.json. Default: a fresh temp dir (removed by stop()). */
  dir?: string
  /** Default 0: a random free port. */
  port?: number
  /** Default 127.0.0.1. The certificate is valid for 127.0.0.1, ::1 and localhost only. */
  host?: string
  /** Lifetime of access tokens (ocm.json's and the token endpoint's). Default 900. */
  accessTokenTtlSeconds?: number
  /** When false (the default), one line per request is written to stderr. */
  quiet?: boolean
  /** Timings of managed jobs (Pending, then Running); default 1.5 s and 4 s. */
  scripts?: ScriptSimOptions
  /** Access requests: how long the customer takes to approve (default 30 s; 0: only the debug call approves). */
  accessRequests?: AccessRequestOptions
  /** Also serve this many generated clusters (fleet.ts), after the seed ones. Default 0. */
  clusters?: number
  /** With `clusters`: give a few generated clusters a fault (fleet.ts faultIndexes). */
  faults?: boolean
}

export interface RecordedRequest {
  method: string
  /** Path including the query string, as sent. */
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
  /** Date.now() when the request's body had been read. */
  time: number
}

export interface Fault {
  /** Answer with this status (and body/contentType) instead of the normal response. */
  status?: number
  /** Default '' (empty body). A Buffer sends raw bytes (e.g. invalid UTF-8). */
  body?: string | Buffer
  /** Default application/json. */
  contentType?: string
  /** Wait this long first (alone: then answer normally). */
  delayMs?: number
  /** Cut the connection instead of answering. */
  destroy?: boolean
  /** How many matching requests to affect; default: all of them until cleared. */
  times?: number
  /** With status: the HTTP reason phrase (raw; latin1 bytes such as \x9b pass through Node's check). */
  statusMessage?: string
  /** Extra response headers (with status). */
  headers?: Record<string, string>
  /** With status: send the headers (and `body`, if any) and then nothing more, never ending the reply. */
  stallAfterHeaders?: boolean
  /** With status: repeat `body` (default `{"items":[` then `{"x":1},` forever) without end, chunked. */
  endless?: boolean
  /** With status: a gzip-encoded body that inflates to this many bytes of `body` repeated (default: zeros). */
  gzipBombBytes?: number
  /**
   * Hold matching requests until this many are waiting, then answer them all at the same moment
   * (normally, or as the fault says): concurrent clients whose replies arrive together.
   */
  gather?: number
}

export interface Simulator {
  /** Live remediation instances by id. */
  remediations: Map<string, SimRemediation>
  /** https://127.0.0.1:PORT — one server for every role. */
  url: string
  ocmUrl: string
  backplaneUrl: string
  /** PagerDuty's REST API (pagerduty-api-url / BACKPLANE_PAGERDUTY_URL); the key is SIM_PD_KEY. */
  pagerDutyUrl: string
  /** The live PagerDuty incidents (PD_INCIDENTS); tests may add to them. */
  incidents: Map<string, SimIncident>
  /** JIRA's base URL (jira-base-url); basic auth SIM_JIRA_EMAIL:SIM_JIRA_TOKEN. */
  jiraUrl: string
  /** The live JIRA issues (JIRA_ISSUES) and those created through the API. */
  jira: JiraControl
  tokenUrl: string
  caFile: string
  caPem: string
  dir: string
  ocmConfigPath: string
  backplaneConfigPath: string
  /** Every request, in order (faulted ones included). */
  requests: RecordedRequest[]
  /** The live cluster data; tests may mutate it, push makeCluster(…) results, or assign a new array. */
  clusters: SimCluster[]
  issueAccessToken(opts?: {ttlSeconds?: number; username?: string}): string
  issueRefreshToken(opts?: {ttlSeconds?: number; username?: string}): string
  /** Refresh tokens issued so far stop working (400 invalid_grant); later ones work. */
  revokeRefreshTokens(): void
  /** `'METHOD /path/prefix'` (method may be `*`); matched against the path without its query. undefined clears it. */
  setFault(methodAndPathPrefix: string, fault: Fault | undefined): void
  /** Managed scripts and jobs: their timings, live data and log-stream faults (scripts.ts). */
  scripts: ScriptsControl
  /** Every elevated Kubernetes request (as backplane-cluster-admin), with its reasons; also GET /backplane/cluster/<id>/audit. */
  audit: AuditRecord[]
  /** OCM access requests (approve one now, read them); POST /debug/access_requests/{id}/approve does the same over HTTP. */
  accessRequests: AccessRequestsControl
  /** Backplane-Version values whose logins get `Deprecated-Client: true`. */
  deprecatedClientVersions: Set<string>
  stop(): Promise<void>
}

interface ActiveFault {
  method: string
  prefix: string
  fault: Fault
  remaining: number
  /** Requests held by `gather`, released together. */
  held: Array<() => void>
}

const MAX_BODY_BYTES = 10 * 1024 * 1024

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1'
  const ownsDir = opts.dir === undefined
  const dir = ownsDir ? mkdtempSync(join(tmpdir(), 'backplane-sim-')) : resolve(opts.dir!)
  mkdirSync(dir, {recursive: true})

  const server = createServer({cert: SIMULATOR_SERVER_CERT_PEM, key: SIMULATOR_SERVER_KEY_PEM})
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', rejectListen)
      resolveListen()
    })
  })

  const {port} = server.address() as AddressInfo
  const url = `https://${urlHost(host)}:${port}`
  const tokenUrl = url + TOKEN_PATH
  const issuer = url + REALM_PATH
  const state: SimState = {
    url,
    tokenUrl,
    issuer,
    tokens: new TokenService(issuer, opts.accessTokenTtlSeconds ?? 900),
    clusters: [...seedClusters(), ...generateFleet(opts.clusters ?? 0, {faults: opts.faults})],
    remediations: new Map(),
    timers: new Set(),
    audit: [],
  }
  const scripts = scriptsControl(state, opts.scripts)
  const accessRequests = accessRequestsControl(state, opts.accessRequests)
  const requests: RecordedRequest[] = []
  const faults = new Map<string, ActiveFault>()

  const log = opts.quiet
    ? undefined
    : (line: string): void => {
        process.stderr.write(`[simulator] ${line}\n`)
      }
  state.log = log

  const takeFault = (method: string, path: string): ActiveFault | undefined => {
    let best: ActiveFault | undefined
    for (const active of faults.values()) {
      if ((active.method === '*' || active.method === method) && path.startsWith(active.prefix)) {
        if (!best || active.prefix.length > best.prefix.length) best = active
      }
    }

    if (!best) return undefined
    best.remaining--
    if (best.remaining <= 0) faults.delete(`${best.method} ${best.prefix}`)
    return best
  }

  /** Wait until `gather` requests are held by this fault, then let them all go in the same tick. */
  const gathered = (active: ActiveFault): Promise<void> =>
    new Promise((release) => {
      active.held.push(release)
      if (active.held.length >= active.fault.gather!) for (const go of active.held.splice(0)) go()
    })

  const delay = (ms: number): Promise<void> =>
    new Promise((resolveDelay) => {
      const timer = setTimeout(() => {
        state.timers.delete(timer)
        resolveDelay()
      }, ms)
      state.timers.add(timer)
    })

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now()
    const body = await readBody(req)
    const rawUrl = req.url ?? '/'
    const method = (req.method ?? 'GET').toUpperCase()
    requests.push({method, path: rawUrl, headers: {...req.headers}, body, time: Date.now()})
    if (log) res.once('finish', () => log(`${method} ${rawUrl} → ${res.statusCode} (${Date.now() - started} ms)`))

    const parsed = new URL(rawUrl, 'https://simulator.invalid')
    const ctx: RequestContext = {req, res, method, path: parsed.pathname, query: parsed.searchParams, body}

    const active = takeFault(method, ctx.path)
    const fault = active?.fault
    if (active && fault) {
      if (fault.gather) await gathered(active)
      if (fault.delayMs) await delay(fault.delayMs)
      if (fault.destroy) {
        log?.(`${method} ${rawUrl} → connection cut (fault)`)
        req.socket.destroy()
        return
      }

      if (fault.status !== undefined) {
        sendFault(res, fault)
        return
      }
    }

    route(ctx, state)
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      log?.(`${req.method} ${req.url} → internal error: ${String(error)}`)
      if (!res.headersSent) sendJson(res, 500, {statusCode: 500, message: `simulator error: ${String(error)}`})
      else res.destroy()
    })
  })

  // Config files the CLI reads (OCM_CONFIG / BACKPLANE_CONFIG).
  const caFile = join(dir, 'ca.pem')
  const ocmConfigPath = join(dir, 'ocm.json')
  const backplaneConfigPath = join(dir, 'backplane.json')
  writeFileSync(caFile, SIMULATOR_CA_PEM)
  writePrivate(ocmConfigPath, {
    access_token: state.tokens.issueAccessToken({username: DEFAULT_USERNAME}),
    refresh_token: state.tokens.issueRefreshToken({username: DEFAULT_USERNAME}),
    client_id: 'cloud-services',
    url,
    token_url: tokenUrl,
    scopes: ['openid'],
  })
  writePrivate(backplaneConfigPath, {'ca-file': caFile})

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolveStop) => {
      for (const timer of state.timers) clearTimeout(timer)
      state.timers.clear()
      server.close(() => {
        if (ownsDir) rmSync(dir, {recursive: true, force: true})
        resolveStop()
      })
      server.closeAllConnections()
      for (const socket of sockets) socket.destroy()
    })
    return stopping
  }

  return {
    url,
    ocmUrl: url,
    backplaneUrl: url,
    pagerDutyUrl: url + PAGERDUTY_PREFIX,
    incidents: incidentsOf(state),
    jiraUrl: url + JIRA_PREFIX,
    jira: jiraOf(state),
    tokenUrl,
    caFile,
    caPem: SIMULATOR_CA_PEM,
    dir,
    ocmConfigPath,
    backplaneConfigPath,
    requests,
    audit: state.audit,
    get clusters() {
      return state.clusters
    },
    set clusters(clusters: SimCluster[]) {
      state.clusters = clusters
    },
    issueAccessToken: (o) => state.tokens.issueAccessToken(o),
    issueRefreshToken: (o) => state.tokens.issueRefreshToken(o),
    revokeRefreshTokens: () => state.tokens.revokeRefreshTokens(),
    setFault(methodAndPathPrefix, fault) {
      const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(methodAndPathPrefix)
      if (!match) throw new Error(`setFault: expected 'METHOD /path/prefix', got '${methodAndPathPrefix}'`)
      const method = match[1]!.toUpperCase()
      const prefix = match[2]!
      const key = `${method} ${prefix}`
      if (fault === undefined) faults.delete(key)
      else faults.set(key, {method, prefix, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY, held: []})
    },
    remediations: state.remediations,
    scripts,
    accessRequests,
    deprecatedClientVersions: deprecatedVersionsOf(state),
    stop,
  }
}

function route(ctx: RequestContext, state: SimState): void {
  const {path} = ctx
  if (path.startsWith(DEBUG_PREFIX)) {
    handleAccessDebug(ctx, state)
    return
  }

  if (path === '/healthz') {
    sendText(ctx.res, 200, 'ok')
    return
  }

  if (path.startsWith('/auth/') && handleSso(ctx, state)) return
  if (path === JIRA_PREFIX || path.startsWith(`${JIRA_PREFIX}/`)) {
    handleJira(ctx, state)
    return
  }

  if (path === PAGERDUTY_PREFIX || path.startsWith(`${PAGERDUTY_PREFIX}/`)) {
    handlePagerDuty(ctx, state)
    return
  }

  if (path === '/api' || path.startsWith('/api/')) {
    handleOcm(ctx, state)
    return
  }

  if ((path.startsWith(KUBE_PROXY_PREFIX) && !isReportsPath(path)) || path.startsWith(REMEDIATE_PROXY_PREFIX)) {
    handleKube(ctx, state)
    return
  }

  if (isMonitoringPath(path)) {
    handleMonitoring(ctx, state)
    return
  }

  if (path === '/backplane' || path.startsWith('/backplane/')) {
    handleBackplane(ctx, state)
    return
  }

  sendJson(ctx.res, 404, {statusCode: 404, message: `${ctx.method} ${path} not found`})
}

/** The reply of a fault with a status: plain, stalled after the headers, endless, or a gzip bomb. */
function sendFault(res: ServerResponse, fault: Fault): void {
  const faultBody = fault.body ?? ''
  const headers: Record<string, string> = {'Content-Type': fault.contentType ?? 'application/json', ...fault.headers}
  const head = (extra: Record<string, number | string>) => {
    const all = {...headers, ...extra}
    if (fault.statusMessage === undefined) res.writeHead(fault.status!, all)
    else res.writeHead(fault.status!, fault.statusMessage, all)
  }

  if (fault.stallAfterHeaders) {
    head({})
    res.flushHeaders()
    if (Buffer.byteLength(faultBody) > 0) res.write(faultBody)
    // Keep the reply open until the client gives up (or the simulator stops).
    return
  }

  if (fault.endless) {
    head({})
    const first = fault.body === undefined ? '{"items":[' : ''
    const chunk = Buffer.from(fault.body === undefined ? '{"x":1},'.repeat(8192) : faultBody)
    if (first) res.write(first)
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk)) {
        // write until the socket pushes back
      }

      if (!res.destroyed) res.once('drain', pump)
    }

    res.on('error', () => {})
    pump()
    return
  }

  if (fault.gzipBombBytes !== undefined) {
    head({'Content-Encoding': 'gzip', 'Content-Length': gzipBomb(fault.gzipBombBytes, faultBody).length})
    res.end(gzipBomb(fault.gzipBombBytes, faultBody))
    return
  }

  head({'Content-Length': Buffer.byteLength(faultBody)})
  res.end(faultBody)
}

const bombs = new Map<string, Buffer>()
/**
 * `size` bytes of `fill` (zeros when empty), gzipped: one gzip member per MiB, concatenated (gunzip reads them
 * as one stream), about 1 KB each for zeros. Built once per size.
 */
function gzipBomb(size: number, fill: string | Buffer): Buffer {
  const key = `${size}:${fill.toString()}`
  let bomb = bombs.get(key)
  if (!bomb) {
    const block = Buffer.alloc(Math.min(size, 1024 * 1024), 0)
    if (Buffer.byteLength(fill) > 0) {
      const unit = Buffer.from(fill)
      for (let at = 0; at < block.length; at += unit.length) unit.copy(block, at)
    }

    const member = gzipSync(block, {level: 9})
    const parts: Buffer[] = []
    let done = 0
    for (; done + block.length <= size; done += block.length) parts.push(member)
    if (done < size) parts.push(gzipSync(block.subarray(0, size - done), {level: 9}))
    bomb = Buffer.concat(parts)
    bombs.set(key, bomb)
  }

  return bomb
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

function writePrivate(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, {mode: 0o600})
  chmodSync(path, 0o600)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        rejectBody(new Error('request body too large'))
        req.destroy()
        return
      }

      chunks.push(chunk)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', rejectBody)
    req.on('close', () => {
      if (!req.complete) rejectBody(new Error('request aborted by the client'))
    })
  })
}
