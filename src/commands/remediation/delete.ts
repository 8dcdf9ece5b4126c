import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {type DeletedRemediation, deleteRemediation, validateInstanceId} from '../../lib/workflows/remediation.js'
import {managingFlags} from './create.js'

export default class RemediationDelete extends BaseCommand {
  static args = {
    instance: Args.string({description: "the instance id 'remediation create' printed", required: true}),
  }

  static description = `Delete a remediation instance: backplane removes its service account and RBAC (DELETE /backplane/remediation/{clusterId}), and its remediation-<instance>/<cluster> context is removed from the kubeconfig.

Without -c, the cluster is the one the instance's context names, else the cluster of the current context.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> rem-1a2b3c4d', description: 'Delete an instance and its context'},
    {command: '<%= config.bin %> <%= command.id %> rem-1a2b3c4d -c my-cluster', description: 'On a named cluster'},
  ]

  static flags = {...backplaneFlags, ...clusterFlags, ...managingFlags, ...rawFlag}

  static summary = 'Delete a remediation instance and its kubeconfig context'

  async run(): Promise<DeletedRemediation> {
    const {args, flags} = await this.parse(RemediationDelete)
    const instanceId = validateInstanceId(args.instance)
    const result = await deleteRemediation(this.services, {
      env: process.env,
      instanceId,
      key: flags['cluster-id'],
      role: flags.manager ? 'manager' : flags.service ? 'service' : undefined,
      target: (key) => this.targetCluster(key),
    })
    if (this.jsonEnabled()) return result
    this.log(`Deleted remediation instance ${instanceId} on cluster ${result.clusterId}.`)
    for (const name of result.removedContexts) this.log(`Removed context ${name}.`)
    return result
  }
}
