// The backplane role: backplane-api's login endpoint (the Kubernetes proxy is in kube.ts).
// Errors follow the spec's Error schema: {statusCode, message}.
import {handleCloud} from './cloud.js'
import {accessAllowed} from './access-transparency.js'
import {recordSession} from './kube-sessions.js'
import {type RequestContext, type SimState, authenticate, pathSegments, sendJson} from './http.js'
import {handleClientConfig, handleReports} from './reports.js'
import {handleRemediation} from './remediation.js'
import {handleScripts} from './scripts.js'
import {handleTestScripts} from './testscripts.js'

/** /backplane/cluster/{id}/reports… is backplane-api's own, not the cluster's Kubernetes API. */
export function isReportsPath(path: string): boolean {
  return /^\/backplane\/cluster\/[^/]+\/reports(\/[^/]+)?\/?$/.test(path)
}

const deprecated = new WeakMap<SimState, Set<string>>()

/** Backplane-Version values whose logins are answered with `Deprecated-Client: true` (tests add to it). */
export function deprecatedVersionsOf(state: SimState): Set<string> {
  let set = deprecated.get(state)
  if (!set) {
    set = new Set()
    deprecated.set(state, set)
  }

  return set
}

export function backplaneError(ctx: RequestContext, status: number, message: string): void {
  sendJson(ctx.res, status, {statusCode: status, message})
}

/** Handles requests under /backplane other than the cluster proxy. */
export function handleBackplane(ctx: RequestContext, state: SimState): void {
  const auth = authenticate(ctx, state)
  if (!auth.ok) {
    backplaneError(ctx, 401, auth.reason)
    return
  }

  const segments = pathSegments(ctx.path)
  if (segments[1] === 'cloud') {
    handleCloud(ctx, state, segments, auth.claims.preferred_username)
    return
  }

  if (segments[1] === 'script') {
    handleScripts(ctx, state, segments, auth.claims)
    return
  }

  if (segments[1] === 'config' && segments.length === 2) {
    handleClientConfig(ctx)
    return
  }

  if (segments[1] === 'cluster' && segments[3] === 'reports') {
    handleReports(ctx, state, segments[2]!, segments.slice(3))
    return
  }

  if (segments[1] === 'testscript' && segments.length >= 3 && segments.length <= 5) {
    handleTestScripts(ctx, state, segments)
    return
  }

  if (segments[1] === 'remediation' && segments.length === 3) {
    handleRemediation(ctx, state, segments[2]!, auth.claims.preferred_username)
    return
  }

  if (segments[1] === 'login' && segments.length === 3) {
    if (ctx.method !== 'POST') {
      backplaneError(ctx, 405, `method ${ctx.method} not allowed on ${ctx.path}`)
      return
    }

    login(ctx, state, segments[2]!, auth.claims.preferred_username)
    return
  }

  backplaneError(ctx, 404, `${ctx.method} ${ctx.path} is not implemented by the backplane simulator`)
}

function login(ctx: RequestContext, state: SimState, clusterId: string, username: string): void {
  const cluster = state.clusters.find((c) => c.id === clusterId)
  if (!cluster) {
    backplaneError(ctx, 404, `cluster ${clusterId} not found`)
    return
  }

  const clusterState = cluster.status.state
  if (clusterState === 'hibernating') {
    backplaneError(ctx, 400, `cluster ${cluster.name} (${cluster.id}) is hibernating; resume it before logging in`)
    return
  }

  if (clusterState !== 'ready') {
    backplaneError(ctx, 400, `cluster ${cluster.name} (${cluster.id}) is not ready: its state is ${clusterState}`)
    return
  }

  if (cluster.sim.loginForbidden) {
    backplaneError(ctx, 403, `user ${username} is not allowed to access cluster ${cluster.id}`)
    return
  }

  if (!accessAllowed(state, cluster)) {
    backplaneError(ctx, 403, `access to cluster ${cluster.id} is protected: no approved access request`)
    return
  }

  recordSession(cluster, username)
  // A client version the simulator is told is deprecated gets Go's Deprecated-Client header.
  const version = String(ctx.req.headers['backplane-version'] ?? '')
  const deprecated = deprecatedVersionsOf(state).has(version) ? {'Deprecated-Client': 'true'} : undefined
  sendJson(ctx.res, 200, {
    proxy_uri: `/backplane/cluster/${cluster.id}/`,
    statusCode: 200,
    message: `logged in to cluster ${cluster.name}`,
  }, deprecated)
}
