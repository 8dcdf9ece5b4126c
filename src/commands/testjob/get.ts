import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type TestJobResult, validTestId} from '../../lib/backplane/testscripts.js'
import {usageError} from '../../lib/errors.js'
import {testScriptsApi} from '../../lib/workflows/testjob.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {goTestjobFlags} from './render.js'

export function checkTestId(id: string): string {
  if (!validTestId(id)) throw usageError(`invalid test id ${JSON.stringify(id)}`, "give the TestId 'backplane testjob create' printed")
  return id
}

export default class TestjobGet extends BaseCommand {
  static aliases = ['testJob:get', 'testjobs:get', 'tj:get']

  static args = {testId: Args.string({description: "the TestId 'testjob create' printed", required: true})}

  static description = 'Show the status of a test job (GET /backplane/testscript/{clusterId}/{testId}).'

  static enableJsonFlag = true

  static examples = [{command: '<%= config.bin %> <%= command.id %> test-1a2b3c4d', description: 'TestId and status'}]

  static flags = {...goTestjobFlags}

  static hidden = true

  static summary = 'Show the status of a test job'

  async run(): Promise<TestJobResult> {
    const {args, flags} = await this.parse(TestjobGet)
    const testId = checkTestId(args.testId)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const result = await (await testScriptsApi(this.services, target)).get(testId)
    if (this.jsonEnabled()) return result
    this.log(`TestId: ${result.testId}, Status: ${result.status ?? 'unknown'}`)
    return result
  }
}
