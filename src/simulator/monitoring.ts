// backplane's monitoring proxies: /backplane/{prometheus|alertmanager|thanos|grafana}/{clusterId}/… with a tiny
// Prometheus-style API. It reads x-namespace, x-selector and x-port as backplane does (every header is in
// `requests`), wants x-forwarded-user for Grafana, and streams /api/v1/stream slowly (two events 1.5 s apart).
import {type RequestContext, type SimState, authenticate, pathSegments, sendJson, sendText} from './http.js'

export const MONITORING_PREFIXES = ['prometheus', 'alertmanager', 'thanos', 'grafana'].map((t) => `/backplane/${t}/`)
/** The gap between the two events of /api/v1/stream. */
export const STREAM_GAP_MS = 1500

const USER_WORKLOAD = 'openshift-user-workload-monitoring'

export function isMonitoringPath(path: string): boolean {
  return MONITORING_PREFIXES.some((p) => path.startsWith(p))
}

export function handleMonitoring(ctx: RequestContext, state: SimState): void {
  const auth = authenticate(ctx, state)
  if (!auth.ok) {
    sendJson(ctx.res, 401, {statusCode: 401, message: auth.reason})
    return
  }

  const [, type, clusterId, ...rest] = pathSegments(ctx.path)
  const cluster = state.clusters.find((c) => c.id === clusterId)
  if (!cluster) {
    sendJson(ctx.res, 404, {statusCode: 404, message: `cluster ${clusterId ?? ''} not found`})
    return
  }

  if (cluster.sim.loginForbidden) {
    sendJson(ctx.res, 403, {statusCode: 403, message: `user ${auth.claims.preferred_username} is not allowed to access cluster ${cluster.id}`})
    return
  }

  const header = (name: string) => {
    const v = ctx.req.headers[name]
    return Array.isArray(v) ? v[0] : v
  }

  if (type === 'grafana' && !header('x-forwarded-user')) {
    sendJson(ctx.res, 403, {statusCode: 403, message: 'grafana needs the x-forwarded-user header'})
    return
  }

  const namespace = header('x-namespace') ?? 'openshift-monitoring'
  if (!cluster.sim.namespaces.includes(namespace) && namespace !== USER_WORKLOAD) {
    sendJson(ctx.res, 404, {statusCode: 404, message: `no ${type} found in namespace ${namespace}`})
    return
  }

  const route = rest.join('/')
  if (route === '') {
    sendText(ctx.res, 200, `<!doctype html><title>${type} of ${cluster.name}</title><h1>${type}</h1>\n`, 'text/html; charset=utf-8')
    return
  }

  if (route === 'api/v1/query' && (ctx.method === 'GET' || ctx.method === 'POST')) {
    const form = ctx.method === 'POST' ? new URLSearchParams(ctx.body) : ctx.query
    const query = form.get('query') ?? ''
    if (query === '') {
      sendJson(ctx.res, 400, {status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": unknown position: parse error: no expression found in input'})
      return
    }

    sendJson(ctx.res, 200, {
      status: 'success',
      data: {resultType: 'vector', result: [{metric: {__name__: query, cluster: cluster.name, namespace}, value: [Date.now() / 1000, '1']}]},
    })
    return
  }

  if (route === 'api/v1/alerts') {
    sendJson(ctx.res, 200, {
      status: 'success',
      data: {alerts: [{labels: {alertname: 'Watchdog', namespace, severity: 'none'}, state: 'firing', activeAt: '2024-05-01T00:00:00Z', value: '1e+00'}]},
    })
    return
  }

  if (route === 'api/v1/stream') {
    ctx.res.writeHead(200, {'Cache-Control': 'no-cache', 'Content-Type': 'text/event-stream'})
    ctx.res.write('data: first\n\n')
    const timer = setTimeout(() => {
      state.timers.delete(timer)
      ctx.res.end('data: second\n\n')
    }, STREAM_GAP_MS)
    state.timers.add(timer)
    return
  }

  sendJson(ctx.res, 404, {status: 'error', errorType: 'not_found', error: `${ctx.method} /${route} not found`})
}
