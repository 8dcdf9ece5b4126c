// `backplane monitoring <type>`: a local reverse proxy to a cluster's Prometheus, Alertmanager, Thanos or Grafana
// through backplane (`<backplane>/backplane/<type>/<clusterId>/…`). Every request gets a current OCM token and the
// x-namespace / x-selector / x-port headers; Grafana also x-forwarded-user. Bodies stream both ways.
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'

import type {Services} from '../services.js'

import {CliError, usageError} from '../errors.js'
import {createForwarder, createHttp, type Forwarder} from '../http/client.js'
import {excerptOf} from '../http/errors.js'
import {currentBackplaneCluster} from '../kube/current-cluster.js'
import {validateNamespace} from '../kube/names.js'
import {clusterVersion, type OcmCluster} from '../ocm/clusters.js'
import {parsePastedUrl, spliceLocalUrl} from '../net/local-url.js'

export const MONITORING_TYPES = ['prometheus', 'alertmanager', 'thanos', 'grafana'] as const
export type MonitoringType = (typeof MONITORING_TYPES)[number]
export const OPENSHIFT_MONITORING = 'openshift-monitoring'

/** `<backplane>/backplane/cluster/<id>/` → `<backplane>/backplane/<type>/<id>` (as Go: the first occurrence, no trailing slash). */
export function monitoringUpstream(server: string, type: MonitoringType): string {
  return server.replace('backplane/cluster', `backplane/${type}`).replace(/\/+$/, '')
}

/** Go's rule: from OpenShift 4.11 the Prometheus, Alertmanager and Grafana UIs of openshift-monitoring are gone. */
export function assertMonitoringAllowed(type: MonitoringType, namespace: string, cluster: OcmCluster): void {
  if (namespace !== OPENSHIFT_MONITORING || type === 'thanos') return
  const version = clusterVersion(cluster) ?? ''
  const match = /^(\d+)\.(\d+)/.exec(version)
  if (!match) return
  const [major, minor] = [Number(match[1]), Number(match[2])]
  if (major > 4 || (major === 4 && minor >= 11)) {
    throw new CliError(
      `cluster ${cluster.name} runs OpenShift ${version}: from 4.11 the Prometheus, Alertmanager and Grafana UIs of ${OPENSHIFT_MONITORING} are deprecated`,
      {code: 'DEPRECATED_UI', hint: "use 'backplane monitoring thanos', or the Observe tab of 'backplane console', or another namespace with -n"},
    )
  }
}

/** Grafana's x-forwarded-user: the OpenShift user name without `system:serviceaccount:`. */
export function forwardedUser(name: string): string {
  return name.replace('system:serviceaccount:', '')
}

/** `a` + `b` with exactly one slash between (Go's singleJoiningSlash). */
export function joinPath(a: string, b: string): string {
  if (a.endsWith('/') && b.startsWith('/')) return a + b.slice(1)
  if (!a.endsWith('/') && !b.startsWith('/')) return `${a}/${b}`
  return a + b
}

/** --listen: `host:port`, `[v6]:port` or `:port` (127.0.0.1). */
export function parseListen(raw: string): {host: string; port: number} {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(raw.trim())
  const port = match ? Number(match[3]) : Number.NaN
  if (!match || port > 65_535) throw usageError(`invalid --listen ${JSON.stringify(raw)}`, 'give host:port, e.g. 127.0.0.1:9090 (port 0: a free one)')
  return {host: match[1] ?? (match[2] || '127.0.0.1'), port}
}

const HEADER_VALUE = /^[\u0020-\u007E]*$/

/** -l / -p values become request headers: printable ASCII only. */
export function validateHeaderValue(value: string, flag: string, example: string): string {
  if (value.trim() === '' || !HEADER_VALUE.test(value)) throw usageError(`invalid ${flag} ${JSON.stringify(value)}`, `e.g. ${flag} ${example}`)
  return value
}

/** -p: a port number, or a port name (an IANA service name, as a container port is named). */
export function validateRemotePort(value: string): string {
  const n = Number(value)
  const ok = /^\d{1,5}$/.test(value) ? n >= 1 && n <= 65_535 : /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(value) && /[a-z]/.test(value)
  if (!ok) throw usageError(`invalid --port ${JSON.stringify(value)}`, 'give the port number (1-65535) or port name the application listens on, e.g. -p 9091 or -p web')
  return value
}

export interface MonitoringOptions {
  /** Where to listen (default 127.0.0.1 and a free port). */
  listen?: {host: string; port: number}
  namespace: string
  /** -u: a URL pasted from PagerDuty, whose path and query are printed on the local proxy. */
  origin?: string
  port?: string
  selector?: string
  trace?: (line: string) => void
  type: MonitoringType
}

export interface StartedMonitoring {
  clusterId: string
  clusterName: string
  /** Where it listens. */
  listen: string
  type: MonitoringType
  upstream: string
  /** What to open: the local origin, with -u's path and query. */
  url: string
  /** Grafana: the x-forwarded-user sent. */
  user?: string
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

function withoutHopByHop(headers: IncomingHttpHeaders, drop: string[] = []): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
  const out: OutgoingHttpHeaders = {}
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(key) || named.includes(key) || drop.includes(key)) continue
    out[key] = value
  }

  return out
}

export class MonitoringProxy {
  private forwarder?: Forwarder
  private server?: Server
  private readonly sockets = new Set<Socket>()
  private stopRequested = false
  private upstream?: URL
  private user?: string

  constructor(private readonly services: Services, private readonly o: MonitoringOptions) {}

  /** Check everything (context, version, -u, the upstream itself), then listen. */
  async start(): Promise<StartedMonitoring> {
    const {o} = this
    validateNamespace(o.namespace)
    const current = currentBackplaneCluster(await this.services.kubeconfig())
    const cluster = await this.services.clusters.get(current.clusterId)
    assertMonitoringAllowed(o.type, o.namespace, cluster)
    if (o.origin !== undefined) assertSameCluster(o.origin, cluster)

    this.upstream = new URL(monitoringUpstream(current.server, o.type))
    const proxy = this.services.ctx.proxyFlag || !current.proxyUrl ? await this.services.proxy(new URL(current.server).origin) : current.proxyUrl
    const ca = await this.services.ca()
    this.forwarder = await createForwarder({ca, proxy, service: `${o.type} of ${cluster.name}`, timeoutMs: this.services.ctx.timeoutMs})
    if (o.type === 'grafana') this.user = await this.grafanaUser(current.server, ca, proxy)

    // A first request checks that the upstream answers, before anything is served.
    await this.check()

    const server = createServer((req, res) => this.forward(req, res))
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.once('close', () => this.sockets.delete(socket))
    })
    const listen = o.listen ?? {host: '127.0.0.1', port: 0}
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const what = `${listen.host}:${listen.port}`
        if (error.code === 'EADDRINUSE') reject(new CliError(`${what} is already in use`, {code: 'PORT_BUSY', hint: 'pick another --listen, or leave it out for a free port'}))
        else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new CliError(`cannot listen on ${what}: no such local address`, {code: 'USAGE', exitCode: 2, hint: 'give an address of this machine, e.g. 127.0.0.1:9090'}))
        else reject(new CliError(`cannot listen on ${what} (${error.code ?? error.message})`, {hint: 'pick another --listen'}))
      })
      server.listen({exclusive: true, host: listen.host, port: listen.port}, () => resolve())
    })
    this.server = server
    if (this.stopRequested) {
      await this.stop()
      throw new CliError('stopped before it was served')
    }

    const address = server.address() as AddressInfo
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    const local = `http://${host}:${address.port}`
    return {
      clusterId: cluster.id,
      clusterName: cluster.name,
      listen: `${host}:${address.port}`,
      type: o.type,
      upstream: this.upstream.href,
      url: o.origin === undefined ? local : spliceLocalUrl(local, o.origin, '--origin'),
      ...(this.user === undefined ? {} : {user: this.user}),
    }
  }

  /** Stop listening and cut every connection (the port is free when it resolves). */
  async stop(): Promise<void> {
    this.stopRequested = true
    const server = this.server
    this.server = undefined
    this.forwarder?.close()
    if (!server) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
      for (const socket of this.sockets) socket.destroy()
    })
  }

  /** The headers every forwarded request carries (a current token each time). */
  private async headers(incoming: IncomingHttpHeaders = {}): Promise<OutgoingHttpHeaders> {
    const token = await this.services.ocm.currentAccessToken()
    const headers = withoutHopByHop(incoming, ['host', 'authorization', 'x-namespace', 'x-selector', 'x-port', 'x-forwarded-user'])
    headers.authorization = `Bearer ${token}`
    if (this.o.namespace) headers['x-namespace'] = this.o.namespace
    if (this.o.selector) headers['x-selector'] = this.o.selector
    if (this.o.port) headers['x-port'] = this.o.port
    if (this.user !== undefined) headers['x-forwarded-user'] = this.user
    return headers
  }

  private target(path: string): URL {
    const base = this.upstream!
    const incoming = new URL(path, 'http://local.invalid')
    const url = new URL(base.href)
    url.pathname = joinPath(base.pathname, incoming.pathname)
    url.search = incoming.search
    return url
  }

  private async check(): Promise<void> {
    const url = this.target('/')
    const {request, response} = this.forwarder!.open('GET', url, await this.headers())
    request.end()
    const res = await response
    const status = res.statusCode ?? 0
    if (status < 400) {
      res.resume()
      return
    }

    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res) {
      if (size < 4096) chunks.push(chunk as Buffer)
      size += (chunk as Buffer).length
    }

    const body = Buffer.concat(chunks).toString('utf8')
    let message = body
    try {
      const parsed = JSON.parse(body) as {message?: unknown}
      if (typeof parsed?.message === 'string') message = parsed.message
    } catch {
      // not JSON: the text itself
    }

    const hint =
      status === 401 || status === 403
        ? "check your OCM login ('ocm login') and your access to the cluster"
        : status === 404
          ? 'check the namespace (-n), selector (-l) and port (-p) of the monitoring stack'
          : 'retry, or check the cluster'
    throw new CliError(`${this.o.type} of the cluster answered ${status} at ${url.origin}${url.pathname}${message.trim() ? `: ${excerptOf(message.trim(), 200)}` : ''}`, {code: `HTTP_${status}`, hint})
  }

  private async grafanaUser(server: string, ca: string | undefined, proxy: string | undefined): Promise<string> {
    const http = await createHttp({ca, proxy, service: 'the cluster API', timeoutMs: this.services.ctx.timeoutMs, trace: this.o.trace, userAgent: this.services.ctx.userAgent})
    const token = await this.services.ocm.currentAccessToken()
    const user = await http.getJson<{metadata?: {name?: unknown}}>(joinPath(server, 'apis/user.openshift.io/v1/users/~'), {headers: {authorization: `Bearer ${token}`}})
    const name = user?.metadata?.name
    if (typeof name !== 'string' || name === '' || !HEADER_VALUE.test(name)) {
      throw new CliError('the cluster answered users/~ without a user name', {hint: "check the context with 'backplane status'"})
    }

    return forwardedUser(name)
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const started = Date.now()
    const method = req.method ?? 'GET'
    const run = async () => {
      const url = this.target(req.url ?? '/')
      const {request, response} = this.forwarder!.open(method, url, await this.headers(req.headers))
      // The client went away (a closed tab, Ctrl-C on curl): stop the upstream request too.
      res.once('close', () => {
        if (!res.writableFinished) request.destroy()
      })
      req.pipe(request)
      const upstream = await response
      res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, withoutHopByHop(upstream.headers))
      res.flushHeaders()
      upstream.pipe(res)
      upstream.once('end', () => this.o.trace?.(`${method} ${url.pathname} → ${upstream.statusCode} (${Date.now() - started} ms)`))
      upstream.once('error', () => res.destroy())
    }

    run().catch((error: unknown) => {
      const line = error instanceof CliError ? error.line : (error as Error).message
      this.o.trace?.(`${method} ${req.url} failed: ${line}`)
      if (res.headersSent) {
        res.destroy()
        return
      }

      const body = `backplane monitoring: ${line}\n`
      res.writeHead(502, {'content-length': Buffer.byteLength(body), 'content-type': 'text/plain; charset=utf-8'})
      res.end(body)
    })
  }
}

/** -u must be a URL of the current cluster (its base domain), as Go checks. */
function assertSameCluster(origin: string, cluster: OcmCluster): void {
  const hostname = parsePastedUrl(origin, '--origin').hostname.toLowerCase()
  const base = (cluster.dns?.base_domain ?? '').toLowerCase()
  if (base && hostname !== base && !hostname.endsWith(`.${base}`)) {
    throw new CliError(`the URL's host ${hostname} is not in the base domain ${base} of the current cluster ${cluster.name}`, {
      code: 'OTHER_CLUSTER',
      hint: "log in to the cluster the link is for ('backplane login <cluster>') first",
    })
  }
}
