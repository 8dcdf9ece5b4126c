import type {KubeconfigEditor} from './kubeconfig.js'

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

/** `<namespace>/<clusterName>/<username>`, the context name login writes. */
export function loginContextName(namespace: string, clusterName: string, username: string): string {
  return `${namespace}/${clusterName}/${username}`
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

  file.upsert('clusters', e.clusterName, {
    'certificate-authority-data': e.caData,
    'proxy-url': e.proxyUrl,
    server: e.server,
  })
  file.upsert('users', e.userName, {
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
  })
  file.upsert('contexts', e.contextName, {cluster: e.clusterName, namespace: e.namespace, user: e.userName})
  if (o.current !== false) file.setCurrentContext(e.contextName)
}
