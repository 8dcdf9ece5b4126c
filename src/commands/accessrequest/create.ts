import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {accessRequestLines, createAccessRequest, type CreateResult, notificationIssueArg} from '../../lib/workflows/accessrequest.js'
import {usageError} from '../../lib/errors.js'
import {elevateState} from '../../lib/kube/elevate-context.js'
import {clusterFlags} from '../../flags.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {approvalDuration} from '../../lib/ocm/access-transparency.js'

export default class AccessRequestCreate extends BaseCommand {
  static aliases = ['accessRequest:create', 'accessrequests:create']

  static description = `Ask the customer for access to an access-protected cluster: creates a pending access request (OCM access transparency) that the customer approves or denies. Backplane lets nobody into such a cluster without an approved one.

Without --notification-issue, a JIRA issue is created for the notifications (project OHSS on the production OCM environment, SDAINT elsewhere; see jira-config-for-access-requests), which needs jira-email and jira-token. Without --reason, the elevation reason of the current context is used (e.g. the incident of login --pd). A cluster that already has a pending or approved request gets no second one: that one is shown.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> -c my-cluster -r "OHSS-1234: etcd alerts"', description: 'Ask for access, with a JIRA issue created for the notifications'},
    {command: '<%= config.bin %> <%= command.id %> -r "upgrade stuck" -n OHSS-1234 -d 2h', description: 'For the current cluster, with an existing issue, approved for at most 2 hours'},
  ]

  static flags = {
    ...clusterFlags,
    'approval-duration': Flags.string({char: 'd', default: '8h', description: 'how long the request may stay approved: Go duration syntax, 1m to 24h'}),
    'notification-issue': Flags.string({char: 'n', description: 'JIRA issue for the notifications (default: one is created)'}),
    reason: Flags.string({char: 'r', description: 'the justification the customer sees (default: the elevation reason of the current context)'}),
  }

  static summary = 'Ask for access to an access-protected cluster'

  async run(): Promise<CreateResult> {
    const {flags} = await this.parse(AccessRequestCreate)
    // Every argument is checked before the first request.
    const duration = approvalDuration(flags['approval-duration'])
    const notificationIssue = notificationIssueArg(flags['notification-issue'])
    let reason = flags.reason?.trim()
    if (reason === '' || (reason === undefined && flags['cluster-id'] !== undefined)) throw usageError('no reason given', 'pass -r/--reason with the justification the customer will see')
    if (reason === undefined) {
      reason = elevateState(await this.services.kubeconfig(), Date.now())?.reasons[0]
      if (reason === undefined) throw usageError('no reason given, and the current context has no elevation reason', 'pass -r/--reason with the justification the customer will see')
      this.note(`Reason from the current context: ${reason}`)
    }

    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const result = await createAccessRequest(this.services, {clusterId: target.id, duration, notificationIssue, reason})
    if (this.jsonEnabled()) return result
    if (result.createdIssue) this.note(`Created JIRA issue ${result.createdIssue} for the notifications.`)
    if (!result.created) this.note(`Cluster ${target.id} already has an active access request; no new one was created (expire it with backplane accessrequest expire).`)
    this.log(accessRequestLines(target.id, result.request, await this.services.jiraBaseUrl()))
    return result
  }
}
