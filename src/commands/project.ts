import {Args} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {CliError} from '../lib/errors.js'
import {assertNamespaceExists} from '../lib/kube/cluster-api.js'
import {KubeconfigFile} from '../lib/kube/kubeconfig.js'
import {validateNamespace} from '../lib/kube/names.js'

export default class Project extends BaseCommand {
  static args = {
    namespace: Args.string({description: 'namespace to switch to'}),
  }

  static description = `Switch the namespace of the current context, after checking through the cluster API that it exists. Without an argument, print the current namespace.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> openshift-monitoring', description: 'Switch to a namespace'},
    {command: '<%= config.bin %> <%= command.id %>', description: 'Print the current namespace'},
  ]

  static summary = 'Switch (or show) the namespace of the current context'

  async run(): Promise<Record<string, unknown>> {
    const {args} = await this.parse(Project)
    if (args.namespace !== undefined) validateNamespace(args.namespace)
    const set = await this.services.kubeconfig()
    const current = set.currentContext()
    if (!current) throw new CliError('no current kubeconfig context', {code: 'NO_CONTEXT', hint: "log in first with 'backplane login <cluster>'"})
    const ctx = set.context(current.name)
    if (!ctx) throw new CliError(`current context "${current.name}" is not defined in the kubeconfig`, {hint: 'fix the kubeconfig or log in again'})

    if (args.namespace === undefined) {
      const namespace = ctx.namespace ?? 'default'
      if (!this.jsonEnabled()) this.log(namespace)
      return {context: current.name, namespace}
    }

    await assertNamespaceExists(current.name, args.namespace)
    const namespace = args.namespace
    await KubeconfigFile.update(
      ctx.file.path,
      (file) => {
        if (!file.has('contexts', current.name)) throw new CliError(`context "${current.name}" disappeared from ${file.path} meanwhile`, {hint: 'retry'})
        file.upsert('contexts', current.name, {namespace})
      },
      ctx.file,
    )
    if (!this.jsonEnabled()) this.log(`Now using namespace "${args.namespace}" in context ${current.name}.`)
    return {context: current.name, namespace: args.namespace}
  }
}
