import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags} from '../../flags.js'
import {checkReportId, type Report, reportBytes} from '../../lib/backplane/reports.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {reportsApi} from '../../lib/workflows/reports.js'

export default class ReportGet extends BaseCommand {
  static args = {
    id: Args.string({description: "the report id (see 'backplane report list')", required: true}),
  }

  static description = `Print the content of a report: its data, base64-decoded, to stdout byte for byte (it may be binary: nothing is added, not even a newline). --json prints the report object as backplane sends it.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> r-1a2b3c4d', description: 'Print a report'},
    {command: '<%= config.bin %> <%= command.id %> r-1a2b3c4d -c my-cluster > notes.tar.gz', description: 'Save a binary report'},
  ]

  static flags = {...backplaneFlags, ...clusterFlags}

  static summary = 'Print the content of a cluster report'

  async run(): Promise<Report> {
    const {args, flags} = await this.parse(ReportGet)
    const id = checkReportId(args.id)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const report = await (await reportsApi(this.services, target)).get(id)
    if (this.jsonEnabled()) return report
    const bytes = reportBytes(report)
    await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())))
    return report
  }
}
