import {CliError} from '../errors.js'
import {describeHttpError} from '../http/errors.js'

/**
 * Check through the cluster's API (the current context, as kubectl would use it) that a namespace exists.
 * @kubernetes/client-node handles every kind of kubeconfig credential, proxy-url and CA data.
 */
export type K8s = typeof import('@kubernetes/client-node')

/** @kubernetes/client-node (loaded only when needed: ~400 ms) with the kubeconfig kubectl would use, at `context`. */
export async function kubeClientFor(context: string): Promise<{k8s: K8s; kc: InstanceType<K8s['KubeConfig']>}> {
  const k8s = await import('@kubernetes/client-node')
  const kc = new k8s.KubeConfig()
  try {
    kc.loadFromDefault()
    kc.setCurrentContext(context)
  } catch (error) {
    throw new CliError(`cannot use kubeconfig context "${context}": ${(error as Error).message.split('\n')[0]}`, {hint: 'check your kubeconfig'})
  }

  return {k8s, kc}
}

export async function assertNamespaceExists(contextName: string, namespace: string): Promise<void> {
  const {k8s, kc} = await kubeClientFor(contextName)
  const server = kc.getCurrentCluster()?.server ?? 'the cluster'
  try {
    await kc.makeApiClient(k8s.CoreV1Api).readNamespace({name: namespace})
  } catch (error) {
    const code = (error as {code?: unknown}).code
    if (code === 404) throw new CliError(`namespace "${namespace}" does not exist on ${server}`, {code: 'NOT_FOUND', hint: "list them with 'kubectl get namespaces'"})
    if (code === 403) throw new CliError(`you may not read namespace "${namespace}" on ${server}`, {code: 'FORBIDDEN', hint: 'check your access, or pick another namespace'})
    if (code === 401) throw new CliError(`the cluster at ${server} rejected your credentials`, {code: 'UNAUTHORIZED', hint: "log in again with 'backplane login <cluster>'"})
    if (typeof code === 'number') throw new CliError(`the cluster at ${server} answered ${code} for namespace "${namespace}"`, {hint: 'retry later'})
    throw describeHttpError(error, 'the cluster API')
  }
}
