import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {type CreatedRemediation, createRemediation, validateRemediationName} from '../../lib/workflows/remediation.js'
import {shellWord} from '../../lib/shell.js'

export const managingFlags = {
  manager: Flags.boolean({
    description: "give the remediation access to the cluster that manages this one instead (HyperShift: its management cluster; classic: its Hive shard)",
    exclusive: ['service'],
  }),
  service: Flags.boolean({description: 'give the remediation access to the service cluster of this HyperShift cluster instead', exclusive: ['manager']}),
}

export default class RemediationCreate extends BaseCommand {
  static args = {
    name: Args.string({description: 'the remediation to instantiate', required: true}),
  }

  static description = `Instantiate a remediation on a cluster: backplane creates its service account and RBAC there (POST /backplane/remediation/{clusterId}).

A kubeconfig context named remediation-<instance>/<cluster> is written for the instance's proxy URL, as login writes one (OCM token helper, proxy-url, CA). It is not made current unless --use: run kubectl --context with it. The instance id is printed on stdout; delete the instance with 'backplane remediation delete <id>' when done.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> etcd-defrag', description: 'On the cluster of the current context; prints the instance id'},
    {command: '<%= config.bin %> <%= command.id %> etcd-defrag -c my-cluster --use', description: 'On a named cluster, and switch to the new context'},
    {command: '<%= config.bin %> <%= command.id %> restart-ingress-router -c my-hcp-cluster --manager', description: "With access to the cluster's management cluster (or Hive shard)"},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    ...rawFlag,
    ...managingFlags,
    use: Flags.boolean({description: 'make the new context current'}),
  }

  static summary = 'Instantiate a remediation (its service account and RBAC) and write its kubeconfig context'

  async run(): Promise<CreatedRemediation> {
    const {args, flags} = await this.parse(RemediationCreate)
    const name = validateRemediationName(args.name)
    const target = await this.targetCluster(flags['cluster-id'])
    const result = await createRemediation(this.services, {
      cliCommand: [process.execPath, `${this.config.root}/bin/run.js`],
      env: process.env,
      name,
      role: flags.manager ? 'manager' : flags.service ? 'service' : undefined,
      target,
      use: flags.use,
    })
    if (this.jsonEnabled()) return result
    this.log(result.instanceId)
    this.note(`Remediation ${name} instantiated on ${result.cluster.name} (${result.cluster.id})${result.managingCluster ? `, with access to its ${result.managingCluster} cluster` : ''}: instance ${result.instanceId}.`)
    this.note(
      result.current
        ? `Context ${result.context} in ${result.kubeconfig} is now current.`
        : `Context ${result.context} in ${result.kubeconfig} (not current): kubectl --context ${shellWord(result.context)} get pods`,
    )
    this.note(`Delete it when done: backplane remediation delete ${result.instanceId}`)
    return result
  }
}
