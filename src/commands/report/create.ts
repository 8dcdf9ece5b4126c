import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags} from '../../flags.js'
import type {Report} from '../../lib/backplane/reports.js'
import {usageError} from '../../lib/errors.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {readReportData, reportsApi} from '../../lib/workflows/reports.js'

export default class ReportCreate extends BaseCommand {
  static args = {
    stdin: Args.string({description: "'-' to read the report from stdin (the same as --file -)", options: ['-']}),
  }

  static description = `Attach a report to a cluster: the file (or stdin) is base64-encoded and POSTed to /backplane/cluster/{id}/reports with its summary; the new report id is printed.

At most 10 MiB. Use it to leave 'oc adm must-gather' notes or an investigation log for the next on-call.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> --summary "etcd slow on master-1" --file notes.md', description: 'Attach a file'},
    {command: 'oc get events -A | <%= config.bin %> <%= command.id %> --summary "events at 03:12" -', description: 'Attach what a command prints'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    file: Flags.string({char: 'f', description: "the file to attach ('-': stdin)"}),
    summary: Flags.string({char: 's', description: 'a one-line summary, shown by report list', required: true}),
  }

  static summary = 'Attach a report (a file or stdin) to a cluster'

  async run(): Promise<Report> {
    const {args, flags} = await this.parse(ReportCreate)
    if (flags.file !== undefined && args.stdin !== undefined) throw usageError('give --file or -, not both', "see 'backplane report create --help'")
    const source = flags.file ?? args.stdin
    if (source === undefined) throw usageError('nothing to attach', "give --file PATH, or - to read stdin")
    if (flags.summary.trim() === '') throw usageError('--summary is empty', 'give a one-line summary')
    const data = await readReportData(source)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const report = await (await reportsApi(this.services, target)).create(flags.summary.trim(), data)
    if (this.jsonEnabled()) return report
    this.log(report.report_id)
    this.note(`Attached ${data.length} bytes to cluster ${target.id} as report ${report.report_id}`)
    return report
  }
}
