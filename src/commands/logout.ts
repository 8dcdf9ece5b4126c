import {Args, Flags} from '@oclif/core'
import {existsSync} from 'node:fs'

import {BaseCommand} from '../base-command.js'
import {CliError} from '../lib/errors.js'
import {multiKubeconfigPath} from '../lib/workflows/login.js'
import {kubeconfigPaths} from '../lib/kube/kubeconfig.js'
import {logoutCurrent, removeMultiKubeconfig} from '../lib/workflows/logout.js'
import {validateClusterKey} from '../lib/ocm/clusters.js'
import {isClusterId} from '../lib/ids.js'

export default class Logout extends BaseCommand {
  static args = {
    cluster: Args.string({description: 'remove the kubeconfig that `login <cluster> --multi` wrote for this cluster'}),
  }

  static description = `Log out of the current backplane context.

Removes the current context, and its cluster and user when no other context uses them, then clears current-context. A context that is not a backplane one is left alone. With a cluster argument, removes the kubeconfig that 'login --multi' wrote for it.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Log out of the current backplane context'},
    {command: '<%= config.bin %> <%= command.id %> my-cluster', description: 'Remove ~/.kube/<clusterId>/config written by login --multi'},
  ]

  static flags = {
    'kube-path': Flags.directory({description: 'with a cluster argument: directory holding <clusterId>/config (default ~/.kube)'}),
  }

  static summary = 'Log out of the current backplane context'

  async run(): Promise<Record<string, unknown>> {
    const {args, flags} = await this.parse(Logout)
    if (args.cluster) {
      const key = validateClusterKey(args.cluster)
      // An id needs no OCM call; a name or pattern is resolved first.
      let path = isClusterId(key) ? multiKubeconfigPath(process.env, key, flags['kube-path']) : undefined
      let clusterId = key
      if (!path || !existsSync(path)) {
        const cluster = await this.services.clusters.resolve(key)
        clusterId = cluster.id
        path = multiKubeconfigPath(process.env, clusterId, flags['kube-path'])
      }

      if (!(await removeMultiKubeconfig(path))) {
        throw new CliError(`no kubeconfig for cluster ${clusterId} at ${path}`, {code: 'NOT_FOUND', hint: 'nothing to remove; check --kube-path'})
      }

      if (!this.jsonEnabled()) {
        // Go's line, with the cluster as typed (scripts match it); which file went, on stderr.
        this.log(`Logged out from backplane: ${args.cluster}`)
        this.note(`Removed ${path}`)
      }

      return {clusterId, kubeconfig: path, removed: true}
    }

    const result = await logoutCurrent(kubeconfigPaths(process.env))
    if (!this.jsonEnabled()) this.log(`Logged out from backplane: ${result.context}`)
    return {...result}
  }
}
