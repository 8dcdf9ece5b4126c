import {dirname, isAbsolute, resolve} from 'node:path'

import type {KubeconfigEditor, KubeconfigSet} from './kubeconfig.js'

import {clusterIdFromServer, remediationFromServer} from '../backplane/client.js'
import {CliError} from '../errors.js'
import {EXEC_API_VERSION} from './exec-helper.js'

export interface LoginEntries {
  caData?: string
  clusterName: string
  contextName: string
  exec: {command: string; env: Array<{name: string; value: string}>}
  namespace: string
  proxyUrl?: string
  server: string
  userName: string
}

/** `<namespace>/<clusterName>/<username>`, the context name login writes; the user part cut at its first `/`, as in Go. */
export function loginContextName(namespace: string, clusterName: string, username: string): string {
  return `${namespace}/${clusterName}/${username.split('/')[0]}`
}

/**
 * Add or update the cluster, user and context of a backplane login and make the context current (unless
 * `current: false`). Fields of those entries that login does not manage, and every other entry, are left as they are.
 */
export function applyLoginEntries(file: KubeconfigEditor, e: LoginEntries, o: {current?: boolean} = {}): void {
  const existing = file.body('clusters', e.clusterName)?.get('server')
  if (typeof existing === 'string' && !clusterIdFromServer(existing) && !remediationFromServer(existing)) {
    throw new CliError(`kubeconfig ${file.path} already has a cluster named "${e.clusterName}" that is not a backplane one`, {
      hint: 'rename or remove that entry, or use --multi to write a separate kubeconfig',
    })
  }

  const replaced = goLoginsOf(file, e)
  for (const name of replaced.contexts) file.remove('contexts', name)
  writeContextEntries(file, {
    cluster: {
      'certificate-authority-data': e.caData,
      'proxy-url': e.proxyUrl,
      server: e.server,
    },
    clusterName: e.clusterName,
    context: {namespace: e.namespace},
    contextName: e.contextName,
    user: {
      exec: {
        apiVersion: EXEC_API_VERSION,
        args: null,
        command: e.exec.command,
        env: e.exec.env.length > 0 ? e.exec.env : null,
        installHint: 'The OCM token helper is written by `backplane login`: run it again.',
        interactiveMode: 'Never',
        provideClusterInfo: false,
      },
      token: undefined,
    },
    userName: e.userName,
  }, o)
  for (const user of replaced.users) if (file.contextsUsingUser(user).length === 0) file.remove('users', user)
}

/** The three entries of a context, as the fields of their bodies (`undefined` deletes a field). */
export interface ContextEntries {
  cluster: Record<string, unknown>
  clusterName: string
  /** Fields of the context besides its cluster and user. */
  context: Record<string, unknown>
  contextName: string
  user: Record<string, unknown>
  userName: string
}

/**
 * Write (add or update) a context with its cluster and user, and make it current unless `current: false`:
 * the one place login, remediation and elevate write entries.
 */
export function writeContextEntries(file: KubeconfigEditor, e: ContextEntries, o: {current?: boolean} = {}): void {
  file.upsert('clusters', e.clusterName, e.cluster)
  file.upsert('users', e.userName, e.user)
  file.upsert('contexts', e.contextName, {cluster: e.clusterName, ...e.context, user: e.userName})
  if (o.current !== false) file.setCurrentContext(e.contextName)
}

/** Fields of each entry whose relative paths kubectl resolves against the kubeconfig's own directory. */
const PATH_FIELDS: Record<'cluster' | 'user', string[]> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
}

/**
 * The current context's entries copied (as kubectl sees them) for a kubeconfig elsewhere: relative paths
 * made absolute, the context's extensions dropped, and the user impersonating `as` with the reasons as
 * `as-user-extra: {reason: […]}`, so that kubectl sends Impersonate-User and Impersonate-Extra-Reason.
 */
export function elevatedEntries(set: KubeconfigSet, contextName: string, as: string, reasons: string[]): ContextEntries {
  const ctx = set.context(contextName)
  if (!ctx?.cluster || !ctx.user) {
    throw new CliError(`context "${contextName}" has no cluster or user`, {code: 'NOT_BACKPLANE', hint: "log in again with 'backplane login <cluster>'"})
  }

  const body = (section: 'clusters' | 'users', name: string) => {
    const file = set.find(section, name)
    const json = file?.body(section, name)?.toJSON() as Record<string, unknown> | undefined
    if (!file || !json) throw new CliError(`the ${section === 'clusters' ? 'cluster' : 'user'} "${name}" of context "${contextName}" is missing`, {hint: "log in again with 'backplane login <cluster>'"})
    return {base: dirname(file.path), json}
  }

  const cluster = body('clusters', ctx.cluster)
  const user = body('users', ctx.user)
  absolutePaths(cluster.json, PATH_FIELDS.cluster, cluster.base)
  absolutePaths(user.json, PATH_FIELDS.user, user.base)
  const exec = user.json.exec as Record<string, unknown> | undefined
  if (exec && typeof exec.command === 'string' && exec.command.includes('/') && !isAbsolute(exec.command)) exec.command = resolve(user.base, exec.command)
  const context = set.find('contexts', contextName)!.body('contexts', contextName)!.toJSON() as Record<string, unknown>
  delete context.extensions
  delete context.cluster
  delete context.user
  return {
    cluster: cluster.json,
    clusterName: ctx.cluster,
    context,
    contextName,
    user: {...user.json, as, 'as-user-extra': {reason: reasons}},
    userName: ctx.user,
  }
}

function absolutePaths(json: Record<string, unknown>, fields: string[], base: string): void {
  for (const field of fields) {
    const value = json[field]
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) json[field] = resolve(base, value)
  }
}

/**
 * What Go ocm-backplane's login wrote for the same cluster: contexts on the cluster entry login now owns (same
 * name, same backplane server path) whose user holds a static token. Login replaces them instead of adding its
 * context beside them; their users go too when no other context uses them. Nothing else is touched.
 */
function goLoginsOf(file: KubeconfigEditor, e: LoginEntries): {contexts: string[]; users: string[]} {
  const contexts: string[] = []
  const users = new Set<string>()
  for (const name of file.contextsOfCluster(e.clusterName)) {
    const user = file.body('contexts', name)?.get('user')
    if (typeof user !== 'string' || user === e.userName) continue
    const body = file.body('users', user)
    const token = body?.get('token')
    if (typeof token !== 'string' || token === '' || body?.has('exec')) continue
    if (name !== e.contextName) contexts.push(name)
    users.add(user)
  }

  return {contexts, users: [...users]}
}
