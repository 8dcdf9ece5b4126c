import {Args, Flags} from '@oclif/core'

import type {Job} from '../../lib/backplane/scripts.js'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, managerFlag, parseSeconds, rawFlag} from '../../flags.js'
import {usageError} from '../../lib/errors.js'
import {visible} from '../../lib/output/visible.js'
import {followJob} from '../../lib/workflows/managedjob/follow.js'
import {interruptible, signalExitCode} from '../../lib/process/interrupt.js'
import {parseParams, validateParams} from '../../lib/workflows/managedjob/params.js'
import {assertNotHibernating, managingCluster, scriptsApi} from '../../lib/workflows/managedjob/target.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {DEFAULT_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS} from '../../lib/workflows/managedjob/wait.js'

export default class ManagedjobCreate extends BaseCommand {
  static args = {
    canonicalName: Args.string({description: 'the script to run, e.g. sre/restart-pods (see \'script list\')', required: true}),
  }

  static description = `Run a managed script on a cluster: a managed job.

The parameters are checked against the script before anything is sent: every required one must be given, and no undeclared one. A hibernating cluster is refused. The job runs as a pod in openshift-backplane-managed-scripts; follow it with --wait and --logs, or later with 'managedjob get' and 'managedjob logs'.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> sre/cluster-health', description: 'Run a script that takes no parameters on the current cluster'},
    {command: '<%= config.bin %> <%= command.id %> sre/restart-pods -p NAMESPACE=my-app -p LABEL_SELECTOR=app=web -c my-cluster', description: 'Run a script with parameters'},
    {command: '<%= config.bin %> <%= command.id %> sre/cluster-health --wait --logs', description: 'Stream its logs, and exit 1 unless it succeeds'},
    {command: '<%= config.bin %> <%= command.id %> sre/cluster-health --json | jq -r .jobId', description: 'Just the job id'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    ...managerFlag,
    ...rawFlag,
    interval: Flags.string({default: String(DEFAULT_INTERVAL_SECONDS), description: 'with --wait/--logs: seconds between status checks'}),
    logs: Flags.boolean({description: 'once the job runs, stream its logs to stdout (as \'managedjob logs -f\')'}),
    param: Flags.string({aliases: ['params'], char: 'p', description: 'a script parameter, KEY=VALUE (repeatable; a repeated key: the last wins; --params too, as in Go)', multiple: true, multipleNonGreedy: true}),
    timeout: Flags.string({default: String(DEFAULT_TIMEOUT_SECONDS), description: 'with --wait/--logs: give up after this many seconds (exit 1 with the last status)'}),
    wait: Flags.boolean({char: 'w', description: 'wait until the job ends (a spinner on a terminal); Failed or Killed exits 1'}),
  }

  static summary = 'Run a managed script on a cluster'

  async run(): Promise<Job> {
    const {args, flags} = await this.parse(ManagedjobCreate)
    if (flags.logs && this.jsonEnabled()) throw usageError('--logs and --json cannot be combined', 'the logs go to stdout: drop one of them')
    const name = args.canonicalName.trim()
    if (name === '' || /\s/.test(name)) throw usageError(`invalid script name "${args.canonicalName}"`, "give a canonical name such as sre/restart-pods (see 'backplane script list')")
    const params = parseParams(flags.param)
    const intervalMs = parseSeconds(flags.interval, '--interval')
    const timeoutMs = parseSeconds(flags.timeout, '--timeout')

    const named = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const target = flags.manager ? await managingCluster(this.services, named) : named
    if (flags.manager) this.step(`managing cluster ${target.cluster?.name} (${target.id})`)
    await assertNotHibernating(this.services, target)
    const api = await scriptsApi(this.services, target)
    const script = await api.getScript(name)
    validateParams(script, params)
    const {job, warnings} = await api.createJob(script.canonicalName ?? name, params)
    for (const warning of warnings) this.warnLine(warning)
    if (!this.jsonEnabled()) {
      this.log(visible(job.message?.trim() || `Created job for ${script.canonicalName ?? name}`))
      this.log(`JobId: ${job.jobId}`)
    }

    if (!flags.wait && !flags.logs) return job
    const interrupt = interruptible({quietStdout: true})
    try {
      const result = await followJob(api, job.jobId, {
        intervalMs,
        logs: flags.logs,
        out: process.stdout,
        signal: interrupt.signal,
        timeoutMs,
        tty: Boolean(process.stderr.isTTY),
        wait: flags.wait,
      })
      if (result.end === 'interrupted') return this.exit(signalExitCode(interrupt.received))
      return result.job
    } finally {
      interrupt.dispose()
    }
  }
}
