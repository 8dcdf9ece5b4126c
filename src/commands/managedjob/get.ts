import {Args} from '@oclif/core'

import type {Job} from '../../lib/backplane/scripts.js'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {checkJobIdArg} from '../../lib/ids.js'
import {scriptsApi} from '../../lib/workflows/managedjob/target.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {jobParameters, jobsReport, jobTable, jobTableOptions} from '../../lib/output/jobs.js'

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
    ...rawFlag,
  }

  static summary = 'Show a managed job (or all of them)'

  async run(): Promise<Job | Job[]> {
    const {args, flags} = await this.parse(ManagedjobGet)
    const jobId = args.jobId === undefined ? undefined : checkJobIdArg(args.jobId.trim())
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const api = await scriptsApi(this.services, target)
    if (jobId === undefined) {
      const jobs = await api.listJobs()
      if (!this.jsonEnabled()) this.log(jobsReport(jobs, target.id))
      return jobs
    }

    const job = await api.getJob(jobId)
    if (!this.jsonEnabled()) this.log(`${jobTable([job], jobTableOptions())}\n\n${jobParameters(job)}`)
    return job
  }
}
