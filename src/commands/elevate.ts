import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {CliError} from '../lib/errors.js'
import {ELEVATE_VALIDITY_MINUTES} from '../lib/kube/elevate-context.js'
import {elevateReasons, ocBinary, REASON_ENV, runElevated, writeElevatedKubeconfig} from '../lib/workflows/elevate.js'

export default class Elevate extends BaseCommand {
  static args = {
    reason: Args.string({description: 'why you elevate (a ticket or incident id…); kept for 20 minutes in the current context'}),
  }

  static description = `Run oc (or kubectl) as backplane-cluster-admin, with a recorded reason.

The reason goes with every request (Impersonate-User: backplane-cluster-admin, Impersonate-Extra-Reason) and is cached in the current context as the kubeconfig extension ElevateContext, shared with the Go ocm-backplane: a cached reason stays valid for ${ELEVATE_VALIDITY_MINUTES} minutes after its last use, and a new one is added to it. Without a reason and none cached, a terminal asks for one; elsewhere give it as the argument or in ${REASON_ENV}.

The command after -- runs with a temporary kubeconfig (a private directory, removed afterwards, also on Ctrl-C) holding a copy of the current context whose user impersonates backplane-cluster-admin. Its arguments are passed exactly as given, it uses this terminal, and its exit status is elevate's. Your kubeconfig and KUBECONFIG are not changed, except for the reason cache. The program is BACKPLANE_OC, else oc when on PATH, else kubectl. Without a command, elevate only records the reason.`

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> "OHSS-1234 restart the router" -- delete pod -n openshift-ingress -l app=router', description: 'Run one command as backplane-cluster-admin'},
    {command: '<%= config.bin %> <%= command.id %> -n -- get secret -n openshift-config pull-secret -o jsonpath=\'{.type}\'', description: 'Use the reason cached in the last 20 minutes'},
    {command: '<%= config.bin %> <%= command.id %> "OHSS-1234 investigating"', description: 'Only record a reason (later: elevate -n -- …)'},
    {command: `${REASON_ENV}="CI run 42" <%= config.bin %> <%= command.id %> -- apply -f fix.yaml`, description: 'Automation: the reason from the environment'},
  ]

  static flags = {
    'no-reason': Flags.boolean({char: 'n', description: 'the first argument is not a reason: use the cached one (or ask for one)'}),
  }

  // Everything after `--` is the command, byte for byte; before it, REASON and (Go style) the command.
  static strict = false

  static summary = 'Run oc/kubectl as backplane-cluster-admin with a recorded reason'

  static usage = ['<%= command.id %> [REASON] [-n] [-- COMMAND…]']

  async run(): Promise<void> {
    const split = this.argv.indexOf('--')
    const head = split < 0 ? this.argv : this.argv.slice(0, split)
    const tail = split < 0 ? [] : this.argv.slice(split + 1)
    const {argv, flags} = await this.parse(Elevate, head)
    const positionals = argv as string[]
    const reason = flags['no-reason'] ? undefined : positionals[0]
    const command = [...(flags['no-reason'] ? positionals : positionals.slice(1)), ...tail]
    if (split >= 0 && command.length === 0) throw new CliError('nothing to run after --', {code: 'USAGE', exitCode: 2, hint: "give the oc arguments, e.g. 'backplane elevate <reason> -- get nodes'"})

    const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)
    const result = await elevateReasons({
      ask: interactive ? () => askReason() : undefined,
      env: process.env,
      reason,
    })
    if (command.length === 0) {
      this.note(`Elevation reason for ${result.context}: ${result.reasons.join('; ')} (valid ${ELEVATE_VALIDITY_MINUTES} minutes; 'backplane elevate -n -- <command>' uses it)`)
      return
    }

    const kubeconfig = await writeElevatedKubeconfig(process.env, result.context, result.reasons)
    const status = await runElevated(ocBinary(process.env), command, process.env, kubeconfig)
    if (status !== 0) this.exit(status)
  }
}

async function askReason(): Promise<string> {
  const {input} = await import('@inquirer/prompts')
  try {
    return await input({message: `Reason for elevating to backplane-cluster-admin (kept ${ELEVATE_VALIDITY_MINUTES} minutes in this context):`}, {output: process.stderr})
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new CliError('elevation cancelled', {code: 'CANCELLED', exitCode: 130})
    throw error
  }
}
