import {Flags} from '@oclif/core'

import type {Script} from '../../lib/backplane/scripts.js'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {scriptsApi} from '../../lib/workflows/managedjob/target.js'
import {NO_CLUSTER} from '../../lib/workflows/target-cluster.js'
import {scriptTable} from '../../lib/output/scripts.js'
import {terminalWidth} from '../../lib/output/table.js'

export default class ScriptList extends BaseCommand {
  static aliases = ['script:ls', 'script:get']

  static hiddenAliases = ['scripts:list', 'scripts:ls']

  static description = `List the managed scripts you may run on a cluster.

Managed scripts are pre-approved, higher-privileged scripts that backplane runs for you on a cluster (see 'managedjob create'). The cluster is --cluster-id, else the one of the current kubeconfig context.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Scripts for the cluster you are logged in to'},
    {command: '<%= config.bin %> <%= command.id %> -c my-cluster --all', description: 'Every script, with the groups allowed to run it'},
    {command: '<%= config.bin %> <%= command.id %> --json | jq -r ".[].canonicalName"', description: 'Just the names'},
  ]

  static flags = {
    ...backplaneFlags,
    ...clusterFlags,
    ...rawFlag,
    all: Flags.boolean({description: 'every script, including those you may not run (adds an ALLOWED GROUPS column)'}),
  }

  static summary = 'List the managed scripts available on a cluster'

  async run(): Promise<Script[]> {
    const {flags} = await this.parse(ScriptList)
    const target = await this.targetCluster(flags['cluster-id'], {missing: NO_CLUSTER})
    const scripts = await (await scriptsApi(this.services, target)).listScripts({all: flags.all})
    if (this.jsonEnabled()) return scripts
    if (scripts.length === 0) {
      this.log(`No scripts available for this cluster (${target.id}).`)
      return scripts
    }

    this.log(scriptTable(scripts, {allowedGroups: flags.all, maxWidth: terminalWidth()}))
    return scripts
  }
}
