import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags} from '../../flags.js'
import type {ReportSummary} from '../../lib/backplane/reports.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {reportTable} from '../../lib/output/reports.js'
import {reportsApi} from '../../lib/workflows/reports.js'

export default class ReportList extends BaseCommand {
  static hiddenAliases = ['report:ls']

  static description = `List the reports attached to a cluster (GET /backplane/cluster/{id}/reports), newest first: REPORT ID / CREATED / SUMMARY.

Reports are notes SREs attach to a cluster for the next on-call (an investigation log, must-gather findings).`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'The last 10 reports of the current cluster'},
    {command: '<%= config.bin %> <%= command.id %> -c my-cluster --last 3 --json', description: 'The last 3, as backplane sends them'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    last: Flags.integer({description: 'how many reports, newest first (backplane default: 10)', min: 1}),
  }

  static summary = 'List the reports attached to a cluster'

  async run(): Promise<ReportSummary[]> {
    const {flags} = await this.parse(ReportList)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const reports = await (await reportsApi(this.services, target)).list(flags.last)
    if (this.jsonEnabled()) return reports
    this.log(reports.length === 0 ? `No reports on this cluster (${target.id}).` : reportTable(reports))
    return reports
  }
}
