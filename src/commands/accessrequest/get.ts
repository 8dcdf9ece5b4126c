import {BaseCommand} from '../../base-command.js'
import {accessRequestLines, getAccessRequest} from '../../lib/workflows/accessrequest.js'
import {clusterFlags} from '../../flags.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import type {AccessRequest} from '../../lib/ocm/access-transparency.js'

export default class AccessRequestGet extends BaseCommand {
  static aliases = ['accessRequest:get', 'accessrequests:get']

  static description = `Show the pending or approved access request of an access-protected cluster (OCM access transparency): its status, and when approved, when the approval expires. --json prints the request as OCM sends it (null when there is none).`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'The request of the current backplane cluster'},
    {command: '<%= config.bin %> <%= command.id %> -c my-cluster --json', description: 'The raw request of another cluster'},
  ]

  static flags = {...clusterFlags}

  static summary = 'Show the active access request of a cluster'

  async run(): Promise<AccessRequest | undefined> {
    const {flags} = await this.parse(AccessRequestGet)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const request = await getAccessRequest(this.services, target.id)
    if (this.jsonEnabled()) {
      // oclif prints nothing for an empty result: --json says null itself.
      if (!request) this.logJson(null)
      return request
    }

    if (request) {
      this.log(accessRequestLines(target.id, request, await this.services.jiraBaseUrl()))
    } else {
      this.log(`No pending or approved access request for cluster ${target.id}.`)
      this.log(`Denied or expired ones: ocm get /api/access_transparency/v1/access_requests -p search="cluster_id='${target.id}'"`)
    }

    return request
  }
}
