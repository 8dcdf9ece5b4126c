// Reads from the cluster, through the current kubeconfig context (the backplane proxy), with
// @kubernetes/client-node, loaded only here: it handles the exec credential helper, CA data and proxy-url.
import type {ClusterPlugin} from './command-lines.js'

import {CliError} from '../errors.js'
import {describeHttpError} from '../http/errors.js'
import {type K8s, kubeClientFor} from '../kube/cluster-api.js'


interface ConsolePluginObject {
  metadata?: {name?: string}
  spec?: {backend?: {service?: {basePath?: string; name?: string; namespace?: string; port?: number}}}
}

export class ClusterObjects {
  private constructor(
    private readonly k8s: K8s,
    private readonly kc: InstanceType<K8s['KubeConfig']>,
    private readonly clusterId: string,
  ) {}

  static async forContext(context: string, clusterId: string): Promise<ClusterObjects> {
    const {k8s, kc} = await kubeClientFor(context)
    return new ClusterObjects(k8s, kc, clusterId)
  }

  /** The image of one container of a Deployment. */
  async deploymentImage(namespace: string, name: string, container: string, hint: string): Promise<string> {
    const what = `Deployment ${namespace}/${name}`
    let deployment
    try {
      deployment = await this.kc.makeApiClient(this.k8s.AppsV1Api).readNamespacedDeployment({name, namespace})
    } catch (error) {
      throw this.describe(error, what, hint)
    }

    const image = deployment.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image
    if (!image) throw new CliError(`${what} on cluster ${this.clusterId} has no container "${container}"`, {code: 'NO_IMAGE', hint})
    return image
  }

  /** ConsolePlugins that the console operator (consoles.operator.openshift.io/cluster) enables. */
  async enabledPlugins(): Promise<ClusterPlugin[]> {
    const api = this.kc.makeApiClient(this.k8s.CustomObjectsApi)
    const hint = 'run without --plugins'
    let operator: {spec?: {plugins?: unknown}}
    let list: {items?: ConsolePluginObject[]}
    try {
      operator = await api.getClusterCustomObject({group: 'operator.openshift.io', name: 'cluster', plural: 'consoles', version: 'v1'})
    } catch (error) {
      throw this.describe(error, 'the console operator configuration', hint)
    }

    try {
      list = await api.listClusterCustomObject({group: 'console.openshift.io', plural: 'consoleplugins', version: 'v1'})
    } catch (error) {
      throw this.describe(error, 'ConsolePlugins', hint)
    }

    const enabled = new Set(Array.isArray(operator?.spec?.plugins) ? operator.spec.plugins.filter((p): p is string => typeof p === 'string') : [])
    const plugins: ClusterPlugin[] = []
    for (const item of list?.items ?? []) {
      const name = item.metadata?.name
      const service = item.spec?.backend?.service
      if (!name || !enabled.has(name) || !service?.name || !service.namespace) continue
      plugins.push({basePath: service.basePath ?? '/', name, namespace: service.namespace, port: service.port ?? 443, service: service.name})
    }

    return plugins
  }

  private describe(error: unknown, what: string, hint: string): CliError {
    const code = (error as {code?: unknown}).code
    const where = `cluster ${this.clusterId}`
    if (code === 404) return new CliError(`${what} not found on ${where}`, {code: 'NOT_FOUND', hint})
    if (code === 403) return new CliError(`you may not read ${what} on ${where}`, {code: 'FORBIDDEN', hint: `ask for access, or ${hint}`})
    if (code === 401) return new CliError(`${where} rejected your credentials reading ${what}`, {code: 'UNAUTHORIZED', hint: "log in again with 'backplane login <cluster>'"})
    if (typeof code === 'number') return new CliError(`${where} answered ${code} reading ${what}`, {code: `HTTP_${code}`, hint: `retry later, or ${hint}`})
    return describeHttpError(error, 'the cluster API')
  }
}
