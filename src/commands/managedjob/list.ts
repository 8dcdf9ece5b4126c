import type {Job} from '../../lib/backplane/scripts.js'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {scriptsApi} from '../../lib/workflows/managedjob/target.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {jobsReport} from '../../lib/output/jobs.js'

export default class ManagedjobList extends BaseCommand {
  static hiddenAliases = ['managedjob:ls']

  static description = `List the managed jobs of a cluster: one row per job, with its status, script, start time and namespace.

The columns are Go's: JOBID, STATUS, NAMESPACE, START, SCRIPT. START is relative ("5m ago") on a terminal and the ISO time otherwise.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Jobs of the current cluster'},
    {command: '<%= config.bin %> <%= command.id %> -c my-cluster --json', description: 'The jobs as backplane returns them'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    ...rawFlag,
  }

  static summary = 'List the managed jobs of a cluster'

  async run(): Promise<Job[]> {
    const {flags} = await this.parse(ManagedjobList)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const jobs = await (await scriptsApi(this.services, target)).listJobs()
    if (this.jsonEnabled()) return jobs
    this.log(jobsReport(jobs, target.id))
    return jobs
  }
}
