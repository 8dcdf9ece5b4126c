import {Args, Flags} from '@oclif/core'

import {backplaneFlags, BaseCommand} from '../base-command.js'
import {login, type LoginResult} from '../lib/login.js'
import {validateNamespace} from '../lib/kube/names.js'
import {validateClusterKey, type OcmCluster} from '../lib/ocm/clusters.js'
import {clusterInfo, keyValueLines} from '../lib/output/cluster-info.js'
import {pickCluster} from '../lib/output/pick-cluster.js'

export default class Login extends BaseCommand {
  static args = {
    cluster: Args.string({description: 'cluster id, external id, name, or name pattern (%prod%)', required: true}),
  }

  static description = `Log in to a cluster through backplane.

Resolves the cluster through OCM, asks backplane for access, and writes a kubeconfig context whose server is the backplane proxy and whose user gets fresh OCM tokens from $HOME/.kube/ocm-token. Afterwards oc and kubectl target the cluster.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> my-cluster', description: 'Log in by name (or id, or external id)'},
    {command: '<%= config.bin %> <%= command.id %> %prod-east% -n openshift-monitoring', description: 'Log in by pattern, in a namespace'},
    {command: 'source <(<%= config.bin %> <%= command.id %> my-cluster --multi)', description: 'Log in with a kubeconfig of its own, in this shell only'},
    {command: '<%= config.bin %> <%= command.id %> my-cluster --cluster-info', description: 'Also show the cluster\'s state, version, provider and region'},
  ]

  static flags = {
    ...backplaneFlags,
    'cluster-info': Flags.boolean({description: 'print the cluster\'s id, name, state, version, provider and region (default: display-cluster-info in the backplane config)'}),
    'kube-path': Flags.directory({description: 'with --multi: directory for <clusterId>/config (default ~/.kube)', dependsOn: ['multi']}),
    multi: Flags.boolean({description: 'write ~/.kube/<clusterId>/config instead of the default kubeconfig, and print the export KUBECONFIG line'}),
    namespace: Flags.string({char: 'n', default: 'default', description: 'namespace of the new context'}),
    readonly: Flags.boolean({description: 'ask backplane for read-only access'}),
  }

  static summary = 'Log in to a cluster through backplane'

  async run(): Promise<LoginResult | Record<string, unknown>> {
    const {args, flags} = await this.parse(Login)
    validateNamespace(flags.namespace)
    validateClusterKey(args.cluster)

    const result = await login(this.services, {
      cliCommand: [process.execPath, `${this.config.root}/bin/run.js`],
      clusterKey: args.cluster,
      env: process.env,
      kubePath: flags['kube-path'],
      multi: flags.multi,
      namespace: flags.namespace,
      pick: process.stdin.isTTY && process.stderr.isTTY && !this.jsonEnabled() ? (c: OcmCluster[]) => pickCluster(c) : undefined,
      readonly: flags.readonly,
    })
    const json = {
      cluster: {id: result.cluster.id, name: result.cluster.name},
      context: result.context,
      kubeconfig: result.kubeconfig,
      server: result.server,
    }
    if (this.jsonEnabled()) return json

    const showInfo = flags['cluster-info'] || (await this.services.backplaneConfig()).config['display-cluster-info'] === true
    // With --multi, stdout carries only the export line (for `source <(…)`); the rest goes to stderr.
    const say = flags.multi ? (line: string) => this.note(line) : (line: string) => this.log(line)
    say(`Logged in to ${result.cluster.name} (${result.cluster.id}) through backplane.`)
    say(`Context ${result.context} in ${result.kubeconfig} is now current: oc and kubectl target this cluster.`)
    if (showInfo) say(keyValueLines(clusterInfo(result.cluster)))
    if (flags.multi) this.log(`export KUBECONFIG=${result.kubeconfig}`)
    return json
  }
}
