// `backplane remediation create|delete`: a remediation instance (its service account and RBAC on the cluster,
// made by backplane) and the kubeconfig context that reaches the cluster as that instance.
import type {Services} from '../services.js'

import {type ManagingCluster, RemediationApi, validRemediationWord} from '../backplane/remediation.js'
import {CliError, usageError} from '../errors.js'
import {KubeconfigFile, KubeconfigSet, kubeconfigPaths} from '../kube/kubeconfig.js'
import {applyLoginEntries} from '../kube/login-entries.js'
import {loginEntries} from './login.js'
import type {OcmCluster} from '../ocm/clusters.js'
import type {TargetCluster} from './target-cluster.js'

/** --manager / --service of the commands. */
export type ManagingRole = 'manager' | 'service'

/** The context (and cluster entry) a remediation instance gets: `remediation-<instance>/<cluster name>`. */
export function remediationContextName(instanceId: string, clusterName: string): string {
  return `remediation-${instanceId}/${clusterName}`
}

export function validateRemediationName(name: string): string {
  if (!validRemediationWord(name)) {
    throw usageError(`invalid remediation name ${JSON.stringify(name)}`, 'give the name of a remediation: letters, digits, ".", "_" or "-"')
  }

  return name
}

export function validateInstanceId(id: string): string {
  if (!validRemediationWord(id)) {
    throw usageError(`invalid remediation instance id ${JSON.stringify(id)}`, "give the id 'backplane remediation create' printed")
  }

  return id
}

/** --manager: the management cluster of a HyperShift cluster, the Hive shard of a classic one; --service: the service cluster. */
export function managingClusterFor(cluster: OcmCluster, role: ManagingRole | undefined): ManagingCluster | undefined {
  if (!role) return undefined
  const hypershift = cluster.hypershift?.enabled === true
  if (role === 'service') {
    if (!hypershift) {
      throw new CliError(`cluster ${cluster.name} is not a HyperShift (hosted control plane) cluster, so it has no service cluster`, {
        code: 'NOT_HYPERSHIFT',
        hint: 'use --manager for its Hive shard',
      })
    }

    return 'service'
  }

  return hypershift ? 'management' : 'hive'
}

export interface CreateOptions {
  cliCommand: string[]
  env: NodeJS.ProcessEnv
  name: string
  role?: ManagingRole
  target: TargetCluster
  /** Make the new context current. */
  use: boolean
}

export interface CreatedRemediation {
  cluster: {id: string; name: string}
  context: string
  current: boolean
  instanceId: string
  kubeconfig: string
  managingCluster?: ManagingCluster
  remediation: string
  server: string
}

export async function createRemediation(services: Services, o: CreateOptions): Promise<CreatedRemediation> {
  const path = kubeconfigPaths(o.env)[0]
  // A broken kubeconfig fails before anything is created on the cluster.
  const checked = await KubeconfigFile.check(path)
  const cluster = o.target.cluster ?? (await services.clusters.get(o.target.id))
  const managing = managingClusterFor(cluster, o.role)
  const token = await services.ocm.accessToken()
  const backplane = await services.backplane()
  const {instanceId, server} = await new RemediationApi(backplane, cluster.id).create(o.name, managing)
  const context = remediationContextName(instanceId, cluster.name)
  try {
    const entries = await loginEntries(services, {
      cliCommand: o.cliCommand,
      clusterName: context,
      contextName: context,
      env: o.env,
      namespace: 'default',
      proxyUrl: backplane.proxy,
      server,
      token,
    })
    await KubeconfigFile.updateEntries(path, (file) => applyLoginEntries(file, entries, {current: o.use === true}), checked)
  } catch (error) {
    const why = error instanceof CliError ? error.message : (error as Error).message
    throw new CliError(`remediation instance ${instanceId} was created, but its context could not be written: ${why}`, {
      hint: `fix that, then remove the instance with 'backplane remediation delete ${instanceId} -c ${cluster.id}'`,
    })
  }

  return {
    cluster: {id: cluster.id, name: cluster.name},
    context,
    current: o.use === true,
    instanceId,
    kubeconfig: path,
    ...(managing ? {managingCluster: managing} : {}),
    remediation: o.name,
    server,
  }
}

/** The contexts named `remediation-<instance>/<cluster name>` in the kubeconfig files. */
export function remediationContexts(set: KubeconfigSet, instanceId: string): Array<{clusterName: string; name: string}> {
  const prefix = `remediation-${instanceId}/`
  const found: Array<{clusterName: string; name: string}> = []
  for (const file of set.files) {
    for (const name of file.names('contexts')) {
      if (name.startsWith(prefix) && !found.some((f) => f.name === name)) found.push({clusterName: name.slice(prefix.length), name})
    }
  }

  return found
}

export interface DeletedRemediation {
  clusterId: string
  instanceId: string
  /** The contexts removed from the kubeconfig. */
  removedContexts: string[]
}

/**
 * Delete the instance, then remove its contexts (and their cluster entries, and users no context uses any more).
 * Without a cluster named, the cluster is the one the instance's context is named after, else the current backplane context's.
 */
export async function deleteRemediation(
  services: Services,
  o: {env: NodeJS.ProcessEnv; instanceId: string; key?: string; role?: ManagingRole; target: (key: string | undefined) => Promise<TargetCluster>},
): Promise<DeletedRemediation> {
  const paths = kubeconfigPaths(o.env)
  const known = remediationContexts(await services.kubeconfig(paths), o.instanceId)
  // Without -c: the cluster the instance's context is named after (the one it was created for).
  const target = await o.target(o.key ?? known.find((k) => k.clusterName !== '')?.clusterName)
  const managing = o.role ? managingClusterFor(target.cluster ?? (await services.clusters.get(target.id)), o.role) : undefined
  await new RemediationApi(await services.backplane(), target.id).delete(o.instanceId, managing)
  const removedContexts = known.length === 0 ? [] : await KubeconfigSet.update(paths, (set) => removeContexts(set, o.instanceId))
  return {clusterId: target.id, instanceId: o.instanceId, removedContexts}
}

function removeContexts(set: KubeconfigSet, instanceId: string): string[] {
  const names = remediationContexts(set, instanceId).map((c) => c.name)
  const current = set.currentContext()
  for (const name of names) {
    const ctx = set.context(name)
    if (!ctx) continue
    ctx.file.remove('contexts', name)
    const stillUsed = (key: 'cluster' | 'user', value: string) =>
      set.files.some((f) => f.names('contexts').some((c) => f.body('contexts', c)?.get(key) === value))
    if (ctx.cluster && !stillUsed('cluster', ctx.cluster)) set.find('clusters', ctx.cluster)?.remove('clusters', ctx.cluster)
    if (ctx.user && !stillUsed('user', ctx.user)) set.find('users', ctx.user)?.remove('users', ctx.user)
    if (current?.name === name) current.file.setCurrentContext(undefined)
  }

  return names
}
