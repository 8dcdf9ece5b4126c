import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {TestJobResult} from '../../lib/backplane/testscripts.js'
import {parseParams} from '../../lib/workflows/managedjob/params.js'
import {createTestJob, readScriptSource, validateTestParams} from '../../lib/workflows/testjob.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {goTestjobFlags, testjobFlags} from './render.js'
import {streamLogs} from '../../lib/workflows/managedjob/logs.js'
import {interruptible} from '../../lib/process/interrupt.js'
import {testScriptsApi} from '../../lib/workflows/testjob.js'

export default class TestjobCreate extends BaseCommand {
  static aliases = ['testJob:create', 'testjobs:create', 'tj:create']

  static description = `Run a managed script from a managed-scripts checkout on a non-production cluster, without merging it first (POST /backplane/testscript/{clusterId}).

It reads metadata.yaml and the script it names from the current directory (or --source-dir). Refused when the OCM environment is production (its name is prod-env-name of the config, default "production"). Prints the TestId.`

  static enableJsonFlag = true

  static examples = [
    {command: 'cd scripts/SREP/example && <%= config.bin %> <%= command.id %> -p VAR1=val1', description: 'Run the script of this directory on the current cluster'},
    {command: '<%= config.bin %> <%= command.id %> -s scripts/SREP/example -c my-stage-cluster --dry-run', description: 'Ask backplane for the job it would run'},
  ]

  static flags = {
    ...goTestjobFlags,
    ...testjobFlags,
    'library-file-path': Flags.string({char: 'l', description: "accepted as in Go, which ignores it too: a 'source /managed-scripts/<lib>' line of the script is inlined from the checkout"}),
    'dry-run': Flags.boolean({char: 'd', description: 'have backplane build the job without running it'}),
  }

  static hidden = true

  static summary = 'Run a script of a managed-scripts checkout on a non-production cluster'

  async run(): Promise<TestJobResult & {clusterId: string}> {
    const {flags} = await this.parse(TestjobCreate)
    const params = parseParams(flags.params)
    const source = await readScriptSource(flags['source-dir'] ?? '.')
    validateTestParams(source.metadata, params)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const result = await createTestJob(this.services, {dryRun: flags['dry-run'], image: flags['base-image-override'], params, source, target})
    if (this.jsonEnabled()) return result
    if (result.message) this.note(result.message)
    this.log(`TestId: ${result.testId}`)
    if (!flags.follow) {
      this.note(`Follow it: backplane testjob logs ${result.testId} -f`)
      return result
    }

    const interrupt = interruptible({quietStdout: true})
    try {
      await streamLogs(await testScriptsApi(this.services, target), result.testId, {follow: true, out: process.stdout, signal: interrupt.signal})
    } finally {
      interrupt.dispose()
    }

    return result
  }
}
