import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {interruptible, signalExitCode} from '../../lib/process/interrupt.js'
import {streamLogs} from '../../lib/workflows/managedjob/logs.js'
import {testScriptsApi} from '../../lib/workflows/testjob.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {checkTestId} from './get.js'
import {goTestjobFlags} from './render.js'

export default class TestjobLogs extends BaseCommand {
  static aliases = ['testjob:log', 'testJob:logs', 'testjobs:logs', 'tj:logs']

  static args = {testId: Args.string({description: "the TestId 'testjob create' printed", required: true})}

  static description = 'Print the logs of a test job, streamed as they arrive; with -f, until it ends (GET /backplane/testscript/{clusterId}/{testId}/logs).'

  static examples = [{command: '<%= config.bin %> <%= command.id %> test-1a2b3c4d -f', description: 'Follow the logs'}]

  static flags = {...goTestjobFlags}

  static hidden = true

  static summary = 'Print (or follow) the logs of a test job'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TestjobLogs)
    const testId = checkTestId(args.testId)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const api = await testScriptsApi(this.services, target)
    const interrupt = interruptible({quietStdout: true})
    try {
      const result = await streamLogs(api, testId, {follow: flags.follow, out: process.stdout, signal: interrupt.signal})
      if (result.end === 'interrupted') this.exit(signalExitCode(interrupt.received))
    } finally {
      interrupt.dispose()
    }
  }
}
