import {Args} from '@oclif/core'

import type {Script} from '../../lib/backplane/scripts.js'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {scriptsApi} from '../../lib/workflows/managedjob/target.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {describeScript} from '../../lib/output/scripts.js'

export default class ScriptDescribe extends BaseCommand {
  static hiddenAliases = ['scripts:describe']

  static args = {
    canonicalName: Args.string({description: 'the script\'s canonical name, e.g. sre/restart-pods', required: true}),
  }

  static description = `Show a managed script: author, description, allowed groups, language, permalink and its parameters.

Required parameters must be given to 'managedjob create' with -p KEY=VALUE; optional ones may be.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> sre/restart-pods', description: 'Describe a script of the current cluster'},
    {command: '<%= config.bin %> <%= command.id %> sre/restart-pods -c my-cluster --json', description: 'The script as backplane returns it'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    ...rawFlag,
  }

  static summary = 'Describe a managed script and its parameters'

  async run(): Promise<Script> {
    const {args, flags} = await this.parse(ScriptDescribe)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const script = await (await scriptsApi(this.services, target)).getScript(args.canonicalName.trim())
    if (!this.jsonEnabled()) this.log(describeScript(script))
    return script
  }
}
