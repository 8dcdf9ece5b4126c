import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {jobStatusOf} from '../../lib/backplane/scripts.js'
import {usageError} from '../../lib/errors.js'
import {checkJobIdArg} from '../../lib/ids.js'
import {visible} from '../../lib/output/visible.js'
import {scriptsApi} from '../../lib/workflows/managedjob/target.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'

export default class ManagedjobDelete extends BaseCommand {
  static aliases = ['managedjob:del']

  static args = {
    jobId: Args.string({description: 'the job', required: true}),
  }

  static description = `Delete a managed job: stops it if it still runs, and removes it and its logs.

Asks for confirmation on a terminal; elsewhere (scripts, CI) --yes is required.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> job-2hxk4m9qzt', description: 'Delete a job (asks first)'},
    {command: '<%= config.bin %> <%= command.id %> job-2hxk4m9qzt --yes', description: 'Delete without asking'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    ...rawFlag,
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
  }

  static summary = 'Delete a managed job and its logs'

  async run(): Promise<{clusterId: string; deleted: boolean; jobId: string}> {
    const {args, flags} = await this.parse(ManagedjobDelete)
    const jobId = checkJobIdArg(args.jobId.trim())
    const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)
    if (!flags.yes && !interactive) throw usageError(`refusing to delete job ${jobId} without confirmation`, 'pass --yes to delete it (its logs go too)')
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const api = await scriptsApi(this.services, target)
    if (!flags.yes) {
      const job = await api.getJob(jobId)
      const script = job.jobStatus?.script?.canonicalName
      const {confirm} = await import('@inquirer/prompts')
      let yes: boolean
      try {
        yes = await confirm(
          {default: false, message: visible(`Delete job ${jobId}${script ? ` (${script}, ${jobStatusOf(job)})` : ''}? Deleting the job also deletes its logs`)},
          {output: process.stderr},
        )
      } catch (error) {
        if ((error as Error).name === 'ExitPromptError') return this.exit(130)
        throw error
      }

      if (!yes) {
        // As Go: "Aborted." and exit 0.
        if (!this.jsonEnabled()) this.log('Aborted.')
        return {clusterId: target.id, deleted: false, jobId}
      }
    }

    await api.deleteJob(jobId)
    if (!this.jsonEnabled()) this.log(`Deleted Job ID: ${jobId}`)
    return {clusterId: target.id, deleted: true, jobId}
  }
}
