import {Args} from '@oclif/core'

import type {Job} from '../../lib/backplane/scripts.js'

import {backplaneFlags, BaseCommand} from '../../base-command.js'
import {clusterFlags} from '../../lib/managedjob/flags.js'
import {interactivePicker, scriptsApi, targetCluster} from '../../lib/managedjob/target.js'
import {jobParameters, jobTable} from '../../lib/output/jobs.js'
import {terminalWidth} from '../../lib/output/table.js'

export default class ManagedjobGet extends BaseCommand {
  static args = {
    jobId: Args.string({description: 'the job (default: every job of the cluster, as \'managedjob list\')'}),
  }

  static description = `Show a managed job: its status, script, start time, namespace and parameters.

Without a job id, lists every job of the cluster.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> job-2hxk4m9qzt', description: 'One job, with its parameters'},
    {command: '<%= config.bin %> <%= command.id %> job-2hxk4m9qzt --json | jq -r .jobStatus.status', description: 'Just its status'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
  }

  static summary = 'Show a managed job (or all of them)'

  async run(): Promise<Job | Job[]> {
    const {args, flags} = await this.parse(ManagedjobGet)
    const target = await targetCluster(this.services, flags['cluster-id'], await interactivePicker(this.jsonEnabled()))
    const api = await scriptsApi(this.services, target)
    const tableOptions = {maxWidth: terminalWidth(), relative: Boolean(process.stdout.isTTY)}
    if (args.jobId === undefined) {
      const jobs = await api.listJobs()
      if (this.jsonEnabled()) return jobs
      if (jobs.length === 0) this.log(`No managed jobs on this cluster (${target.id}).`)
      else this.log(jobTable(jobs, tableOptions))
      return jobs
    }

    const job = await api.getJob(args.jobId.trim())
    if (!this.jsonEnabled()) this.log(`${jobTable([job], tableOptions)}\n\n${jobParameters(job)}`)
    return job
  }
}
