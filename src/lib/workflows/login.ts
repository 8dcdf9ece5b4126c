import {homedir} from 'node:os'
import {join} from 'node:path'

import type {Services} from '../services.js'

import {CliError} from '../errors.js'
import {mergeReasons, readElevateContext, validReasons, writeElevateContext} from '../kube/elevate-context.js'
import {checkClusterId} from '../ids.js'
import {installOcmTokenScript, tokenCachePath} from '../kube/exec-helper.js'
import {KubeconfigFile, kubeconfigPaths} from '../kube/kubeconfig.js'
import {otherSessions, type SessionsResult} from '../kube/sessions.js'
import {applyLoginEntries, type LoginEntries, loginContextName} from '../kube/login-entries.js'
import {recordHistory} from '../kube/login-history.js'
import {clusterState, type OcmCluster} from '../ocm/clusters.js'
import {usernameOf} from '../ocm/jwt.js'
import {type RelatedCluster, RelatedClusters, type RelatedRole} from '../ocm/related-clusters.js'
import {accessProtectionError} from './accessrequest.js'
import {CONNECT_FAILURES, explainConnectFailure} from './login-probe.js'

export interface LoginOptions {
  /** The command that runs this CLI (node + bin/run.js), for the token helper. */
  cliCommand: string[]
  /** Already resolved (login --pd / --ohss): no cluster search. */
  cluster?: OcmCluster
  clusterKey: string
  env: NodeJS.ProcessEnv
  /** With multi: the directory holding `<clusterId>/config` (default ~/.kube). */
  kubePath?: string
  multi: boolean
  namespace: string
  pick?: (candidates: OcmCluster[]) => Promise<OcmCluster>
  readonly: boolean
  /** Recorded as the elevation reason of the new context (the incident or ticket login came from). */
  reason?: string
  /** --manager / --service: log in to that cluster of the one named instead; both (as Go allows): the service cluster, with the manager's exports too. */
  related?: 'both' | RelatedRole
  /** Look for other backplane sessions on the cluster (in parallel with the kubeconfig write; within sessionsTimeoutMs). */
  sessions?: boolean
  sessionsTimeoutMs?: number
  /** Where warnings go (a corrupt login history). */
  warn?: (line: string) => void
}

export interface LoginResult {
  cluster: OcmCluster
  context: string
  kubeconfig: string
  /** The elevation reasons of the new context, when login recorded one (--pd / --ohss). */
  reasons?: string[]
  /** With --manager / --service: the cluster named, what `cluster` is to it, and the namespaces to export. */
  related?: RelatedCluster
  server: string
  /** Other backplane sessions on the cluster, when asked for (a failure or the deadline: ok false). */
  sessions?: SessionsResult
  user: string
}

export function multiKubeconfigPath(env: NodeJS.ProcessEnv, clusterId: string, kubePath?: string): string {
  return join(kubePath ?? join(env.HOME || homedir(), '.kube'), checkClusterId(clusterId, 'the cluster'), 'config')
}

/** The whole of `backplane login`: resolve, refuse hibernating, log in through backplane, write the kubeconfig. */
export async function login(services: Services, o: LoginOptions): Promise<LoginResult> {
  // Read (and so validate) the kubeconfig before any request: a broken file fails fast and is never touched.
  const defaultPath = o.multi ? undefined : kubeconfigPaths(o.env)[0]
  const checked = defaultPath ? await KubeconfigFile.check(defaultPath) : undefined
  const token = await services.ocm.accessToken()
  // The cluster search and the backplane discovery (OCM environment, proxy) are independent: overlap them.
  const [named, backplane] = await Promise.all([o.cluster ?? services.clusters.resolve(o.clusterKey, o.pick), services.backplane()])
  const related = o.related ? await findRelated(new RelatedClusters(services.ocm), named, o.related) : undefined
  const cluster = related?.cluster ?? named
  if (clusterState(cluster) === 'hibernating') {
    throw new CliError(`cluster ${cluster.name} is hibernating`, {code: 'HIBERNATING', hint: 'resume it before logging in'})
  }

  const server = await backplane.login(cluster.id, {readonly: o.readonly}).catch(async (error: unknown) => {
    // An access-protected cluster answers 403 until the customer approves a request: say that, not the raw 403.
    if (error instanceof CliError && error.code === 'HTTP_403') throw (await accessProtectionError(services, cluster)) ?? error
    // No answer at all: find out whether the proxy or backplane is the one that is down.
    if (error instanceof CliError && CONNECT_FAILURES.has(error.code)) throw await explainConnectFailure(backplane, error)
    throw error
  })
  const path = defaultPath ?? multiKubeconfigPath(o.env, cluster.id, o.kubePath)

  const username = usernameOf(token) ?? 'backplane-user'
  // Who else is on the cluster: asked now, so that it overlaps the kubeconfig write (never rejects, bounded).
  const sessions = o.sessions ? otherSessions(backplane.http, server, token, username, o.sessionsTimeoutMs) : undefined
  const context = loginContextName(o.namespace, cluster.name, username)
  const entries = await loginEntries(services, {
    cliCommand: o.cliCommand,
    clusterName: cluster.name,
    contextName: context,
    env: o.env,
    namespace: o.namespace,
    proxyUrl: backplane.proxy,
    server,
    token,
  })
  const user = entries.userName
  const {previous, reasons} = await KubeconfigFile.updateEntries(
    path,
    (file) => {
      const previous = file.currentContext()
      applyLoginEntries(file, entries)
      if (!o.reason) return {previous, reasons: undefined}
      // The incident or ticket becomes the elevation reason of the new context (shared with Go's ElevateContext).
      const now = Date.now()
      const merged = mergeReasons(validReasons(readElevateContext(file.body('contexts', context)), now), [o.reason])
      writeElevateContext(file, context, {lastUsed: now, reasons: merged})
      return {previous, reasons: merged}
    },
    checked,
  )
  // What `login -` and `logout` go back to (a --multi kubeconfig holds this one cluster only).
  if (!o.multi) await recordHistory(o.env, path, {clusterId: cluster.id, context, previous}, o.warn)
  return {cluster, context, kubeconfig: path, reasons, related, server, sessions: await sessions, user}
}

export interface LoginEntriesInput {
  cliCommand: string[]
  clusterName: string
  contextName: string
  env: NodeJS.ProcessEnv
  namespace: string
  proxyUrl?: string
  server: string
  /** The OCM access token: it seeds the helper's cache and names the user. */
  token: string
}

/**
 * The kubeconfig entries of a backplane context (login's, and remediation's): the OCM token helper installed and
 * seeded, the user `backplane-<username>` that runs it, the custom CA, the proxy.
 */
export async function loginEntries(services: Services, i: LoginEntriesInput): Promise<LoginEntries> {
  const home = i.env.HOME || homedir()
  const ocmConfig = await services.ocm.config()
  const cachePath = tokenCachePath(home, ocmConfig.path)
  const helper = await installOcmTokenScript(home, i.cliCommand, {path: cachePath, token: i.token})
  const username = usernameOf(i.token) ?? 'backplane-user'
  const ca = await services.ca()
  const env = [{name: 'BACKPLANE_TOKEN_CACHE', value: cachePath}]
  if (i.env.OCM_CONFIG) env.unshift({name: 'OCM_CONFIG', value: ocmConfig.path})
  return {
    caData: ca ? Buffer.from(ca).toString('base64') : undefined,
    clusterName: i.clusterName,
    contextName: i.contextName,
    exec: {command: helper, env},
    namespace: i.namespace,
    proxyUrl: i.proxyUrl,
    server: i.server,
    userName: `backplane-${username}`,
  }
}

/**
 * Go's `login --manager --service` goes to the managing cluster, then to the service cluster of that: for a
 * HyperShift cluster that is its service cluster, and Go prints the management cluster's namespaces on the way.
 */
async function findRelated(related: RelatedClusters, named: OcmCluster, role: 'both' | RelatedRole): Promise<RelatedCluster> {
  if (role !== 'both') return related.find(named, role)
  const [manager, service] = await Promise.all([related.find(named, 'manager'), related.find(named, 'service')])
  return {...service, exports: {...manager.exports, ...service.exports}}
}

export {kubeconfigPaths}
