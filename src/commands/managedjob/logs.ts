import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, managerFlag, rawFlag} from '../../flags.js'
import {usageError} from '../../lib/errors.js'
import {checkJobIdArg} from '../../lib/ids.js'
import {interruptible, signalExitCode} from '../../lib/process/interrupt.js'
import {streamLogs} from '../../lib/workflows/managedjob/logs.js'
import {managingCluster, scriptsApi} from '../../lib/workflows/managedjob/target.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'

export default class ManagedjobLogs extends BaseCommand {
  static args = {
    jobId: Args.string({description: 'the job', required: true}),
  }

  static description = `Print the logs of a managed job.

The logs are streamed to stdout as they arrive, in constant memory whatever their size. With -f, the stream stays open while the job runs. Ctrl-C, or a reader that stops reading (| head), ends it quietly.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> job-2hxk4m9qzt', description: 'The logs so far'},
    {command: '<%= config.bin %> <%= command.id %> job-2hxk4m9qzt -f', description: 'Follow them until the job ends'},
    {command: '<%= config.bin %> <%= command.id %> job-2hxk4m9qzt --json', description: 'The logs as one JSON object, {"logs": "…"}'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    ...managerFlag,
    ...rawFlag,
    follow: Flags.boolean({char: 'f', description: 'keep streaming while the job runs'}),
  }

  static summary = 'Print (or follow) the logs of a managed job'

  async run(): Promise<{logs: string} | undefined> {
    const {args, flags} = await this.parse(ManagedjobLogs)
    if (flags.follow && this.jsonEnabled()) throw usageError('--follow and --json cannot be combined', 'drop one of them')
    const jobId = checkJobIdArg(args.jobId.trim())
    const named = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const target = flags.manager ? await managingCluster(this.services, named) : named
    if (flags.manager) this.step(`managing cluster ${target.cluster?.name} (${target.id})`)
    const api = await scriptsApi(this.services, target)
    if (this.jsonEnabled()) return api.logsJson(jobId)

    const interrupt = interruptible({quietStdout: true})
    try {
      const result = await streamLogs(api, jobId, {follow: Boolean(flags.follow), out: process.stdout, signal: interrupt.signal})
      if (result.end === 'interrupted') return this.exit(signalExitCode(interrupt.received))
    } finally {
      interrupt.dispose()
    }

    return undefined
  }
}
