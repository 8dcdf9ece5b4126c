import {Args, Flags} from '@oclif/core'
import {existsSync} from 'node:fs'

import {BaseCommand} from '../base-command.js'
import {CliError, usageError} from '../lib/errors.js'
import {multiKubeconfigPath} from '../lib/workflows/login.js'
import {kubeconfigPaths} from '../lib/kube/kubeconfig.js'
import {backplaneContexts, logoutAll, logoutCluster, type Removed, removeMultiKubeconfig} from '../lib/workflows/logout.js'
import {validateClusterKey} from '../lib/ocm/clusters.js'
import {isClusterId} from '../lib/ids.js'
import {visible} from '../lib/output/visible.js'

export default class Logout extends BaseCommand {
  static args = {
    cluster: Args.string({description: 'remove the kubeconfig that `login <cluster> --multi` wrote for this cluster'}),
  }

  static description = `Log out of the current backplane context's cluster.

Removes every backplane context of that cluster (any namespace), then its cluster entry, then each user no remaining context uses. current-context goes back to the context that was current before that cluster's login when it still exists (you are back where you were), else it is unset. --all removes every backplane context, cluster and user (after asking, on a terminal). Entries that are not backplane ones are never touched. With a cluster argument, removes the kubeconfig that 'login --multi' wrote for it.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Log out of the current backplane context\'s cluster, back to the context before its login'},
    {command: '<%= config.bin %> <%= command.id %> --all', description: 'Remove every backplane context, cluster and user'},
    {command: '<%= config.bin %> <%= command.id %> my-cluster', description: 'Remove ~/.kube/<clusterId>/config written by login --multi'},
  ]

  static flags = {
    all: Flags.boolean({description: 'remove every backplane context, cluster and user of the kubeconfig (asks first on a terminal)', exclusive: ['kube-path']}),
    'kube-path': Flags.directory({description: 'with a cluster argument: directory holding <clusterId>/config (default ~/.kube)'}),
    yes: Flags.boolean({char: 'y', description: 'with --all: do not ask for confirmation'}),
  }

  static summary = 'Log out of the current backplane context\'s cluster'

  async run(): Promise<Record<string, unknown>> {
    const {args, flags} = await this.parse(Logout)
    if (flags.all && args.cluster) throw usageError('--all and a cluster argument exclude each other', "use 'logout --all' or 'logout <cluster>'")
    if (flags.all) return this.logoutAll(flags.yes)
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

    const result = await logoutCluster(process.env, kubeconfigPaths(process.env), (line) => this.warnLine(line))
    if (!this.jsonEnabled()) {
      this.log(visible(`Logged out from backplane: ${result.context}`))
      for (const line of removedLines(result.removed)) this.log(line)
      this.log(visible(result.current ? `Current context: ${result.current} (the one before this cluster's login)` : 'No current context now.'))
    }

    return {...result}
  }

  private async logoutAll(yes: boolean): Promise<Record<string, unknown>> {
    const paths = kubeconfigPaths(process.env)
    if (!yes && process.stdin.isTTY && process.stderr.isTTY && !this.jsonEnabled()) {
      const contexts = await backplaneContexts(paths)
      if (contexts.length > 0) {
        const {confirm} = await import('@inquirer/prompts')
        const sure = await confirm({default: false, message: visible(`Remove all ${contexts.length} backplane context(s) (${contexts.join(', ')}) with their clusters and users?`)}, {output: process.stderr}).catch(
          (error: Error) => {
            if (error.name === 'ExitPromptError') return false
            throw error
          },
        )
        if (!sure) throw new CliError('logout --all cancelled', {code: 'CANCELLED', hint: 'nothing was removed'})
      }
    }

    const result = await logoutAll(paths)
    if (!this.jsonEnabled()) {
      if (result.removed.contexts.length === 0) this.log('No backplane contexts to remove.')
      else for (const line of removedLines(result.removed)) this.log(line)
      if (result.removed.contexts.length > 0) this.log(visible(result.current ? `Current context: ${result.current}` : 'No current context now.'))
    }

    return {...result}
  }
}

function removedLines(removed: Removed): string[] {
  const list = (what: string, names: string[]) => (names.length > 0 ? [visible(`Removed ${what}${names.length > 1 ? 's' : ''}: ${names.join(', ')}`)] : [])
  return [...list('context', removed.contexts), ...list('cluster', removed.clusters), ...list('user', removed.users)]
}
