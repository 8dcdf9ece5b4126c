import {BaseCommand} from '../../base-command.js'
import {expireAccessRequest} from '../../lib/workflows/accessrequest.js'
import {clusterFlags} from '../../flags.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import type {AccessRequest} from '../../lib/ocm/access-transparency.js'

export default class AccessRequestExpire extends BaseCommand {
  static aliases = ['accessRequest:expire', 'accessrequests:expire']

  static description = `Expire the pending or approved access request of a cluster: posts the Expired decision (OCM access transparency), so that backplane access ends now instead of when the approval runs out. No such request is an error (exit 1).`

  static enableJsonFlag = true

  static examples = [{command: '<%= config.bin %> <%= command.id %> -c my-cluster', description: 'Give up the access approved on a cluster'}]

  static flags = {...clusterFlags}

  static summary = 'Expire the active access request of a cluster'

  async run(): Promise<AccessRequest> {
    const {flags} = await this.parse(AccessRequestExpire)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const request = await expireAccessRequest(this.services, target.id)
    this.log(`Access request ${request.id} for cluster ${target.id} has been expired.`)
    return request
  }
}
