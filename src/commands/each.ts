import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {backplaneFlags} from '../flags.js'
import {usageError} from '../lib/errors.js'
import {each} from '../lib/workflows/each.js'
import {checkReason} from '../lib/kube/elevate-context.js'
import type {OutputMode} from '../lib/fleet/report.js'
import type {TargetSource} from '../lib/fleet/targets.js'

const seconds = Flags.custom<number>({
  async parse(input) {
    const value = Number(input)
    if (!/^\d+(\.\d+)?$/.test(input.trim()) || !Number.isFinite(value) || value <= 0 || value > 86_400) {
      throw usageError(`invalid --timeout "${input}"`, 'give a number of seconds, e.g. 120')
    }

    return value
  },
})

export default class Each extends BaseCommand {
  static args = {
    // ignoreStdin: stdin may be the --clusters-file -, never an argument.
    cluster: Args.string({description: 'clusters to run on: a name, id, external id, or name pattern (%prod%), as login takes', ignoreStdin: true}),
  }

  static description = `Run one oc (or kubectl) command, or a shell line, on many clusters at once.

The clusters are a PATTERN (login's key syntax), a raw OCM --search expression, or a --clusters-file of keys (one a line, # comments; - reads stdin). Every OCM page is read. Hibernating clusters and clusters that are not ready are skipped and reported as skipped.

Each cluster gets its own backplane login and its own temporary kubeconfig (0600, in a private 0700 directory, removed at the end, also on Ctrl-C); your kubeconfig is never changed. The command runs as "oc ARGS…" (kubectl when oc is not installed) with KUBECONFIG pointing at that cluster's file; --sh runs a shell line with KUBECONFIG, CLUSTER_ID and CLUSTER_NAME set.

Output: every line a child prints, prefixed "<cluster> │ " (-o lines), a table (-o table), a JSON array (--json) or one JSON object per cluster as it finishes (-o jsonl). A summary line ends it on stderr. The exit status is 0 only when every cluster that was not skipped succeeded; 130 after Ctrl-C.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> %prod% -- get clusterversion', description: 'One oc command on every cluster whose name has "prod"'},
    {command: `<%= config.bin %> <%= command.id %> --search "openshift_version like '4.16%' and region.id = 'us-east-1'" --yes -o table -- get nodes`, description: 'An OCM search, past the --max guard, as a table'},
    {command: '<%= config.bin %> <%= command.id %> --clusters-file - -o jsonl -- get ns -o name < clusters.txt | jq -r .status', description: 'Keys from stdin, one JSON object per cluster'},
    {command: `<%= config.bin %> <%= command.id %> %stage% --sh 'echo "$CLUSTER_NAME: $(oc get nodes --no-headers | wc -l) nodes"'`, description: 'A shell line per cluster'},
    {command: '<%= config.bin %> <%= command.id %> %prod% --reason "OHSS-1234" --yes -- delete pod -n openshift-monitoring stuck-pod', description: 'Elevated, as backplane-cluster-admin, with a reason'},
    {command: '<%= config.bin %> <%= command.id %> %prod% --dry-run', description: 'Only list the clusters it would run on'},
  ]

  static flags = {
    ...backplaneFlags,
    'clusters-file': Flags.string({description: 'a file of cluster keys, one a line (# comments); - reads stdin', exclusive: ['search']}),
    'dry-run': Flags.boolean({description: 'list the clusters that would run (and those skipped), then stop', exclusive: ['reason']}),
    max: Flags.integer({default: 25, description: 'more clusters than this need --yes', min: 0}),
    'max-output': Flags.integer({default: 1024 * 1024, description: 'with --json / -o jsonl: bytes of stdout and of stderr kept per cluster (the rest is dropped and counted in "truncated")', min: 0}),
    output: Flags.string({char: 'o', default: 'lines', description: 'lines (prefixed with the cluster name), table, json or jsonl', options: ['lines', 'table', 'json', 'jsonl']}),
    parallel: Flags.integer({default: 8, description: 'clusters in flight at once (logins and commands)', max: 64, min: 1}),
    reason: Flags.string({description: 'run elevated as backplane-cluster-admin with this reason (asks first on a terminal; else needs --yes)'}),
    search: Flags.string({description: "a raw OCM search expression, e.g. \"region.id = 'us-east-1'\"", exclusive: ['clusters-file']}),
    sh: Flags.string({description: 'run this shell line instead of oc (KUBECONFIG, CLUSTER_ID and CLUSTER_NAME are set)'}),
    timeout: seconds({default: 120, description: 'seconds each cluster may take (login and command); then it is killed and reported as timeout'}),
    yes: Flags.boolean({char: 'y', description: 'run on more than --max clusters, and run elevated without asking'}),
  }

  static strict = false

  static summary = 'Run an oc command or a shell line on many clusters'

  async run(): Promise<void> {
    const dash = this.argv.indexOf('--')
    const before = dash === -1 ? this.argv : this.argv.slice(0, dash)
    const after = dash === -1 ? [] : this.argv.slice(dash + 1)
    const {args, argv, flags} = await this.parse(Each, before)
    const extra = argv.slice(args.cluster === undefined ? 0 : 1)
    if (extra.length > 0) throw usageError(`unexpected argument "${String(extra[0])}"`, 'put the oc arguments after --, e.g. backplane each %prod% -- get nodes')
    const given = [args.cluster !== undefined, flags.search !== undefined, flags['clusters-file'] !== undefined].filter(Boolean).length
    if (given !== 1) throw usageError(given === 0 ? 'no clusters given' : 'give only one of PATTERN, --search and --clusters-file', 'name them with a PATTERN, --search or --clusters-file')
    if (flags.sh !== undefined && after.length > 0) throw usageError('--sh and oc arguments after -- do not go together', 'give one of them')
    if (flags.sh === undefined && after.length === 0 && !flags['dry-run']) throw usageError('no command given', 'put the oc arguments after --, or give a shell line with --sh')
    if (flags.sh !== undefined && flags.sh.trim() === '') throw usageError('--sh is empty', 'give a shell line')
    const reason = flags.reason === undefined ? undefined : checkReason(flags.reason)
    if (flags.reason !== undefined && reason === undefined) throw usageError('--reason is empty', 'give the reason (a ticket or incident), e.g. --reason OHSS-1234')

    const source: TargetSource =
      args.cluster === undefined ? (flags.search === undefined ? {file: flags['clusters-file']!} : {search: flags.search}) : {key: args.cluster}
    const output = (this.jsonEnabled() ? 'json' : flags.output) as OutputMode
    const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !('file' in source && source.file === '-')
    const outcome = await each(this.services, {
      cliCommand: [process.execPath, `${this.config.root}/bin/run.js`],
      command: flags.sh === undefined ? {args: after} : {sh: flags.sh},
      confirm: interactive
        ? async (message) => {
            const {confirm} = await import('@inquirer/prompts')
            return confirm({default: false, message}, {output: process.stderr})
          }
        : undefined,
      dryRun: flags['dry-run'],
      env: process.env,
      max: flags.max,
      maxOutput: flags['max-output'],
      output,
      parallel: flags.parallel,
      reason,
      source,
      stderr: process.stderr,
      stdout: process.stdout,
      timeoutMs: Math.round(flags.timeout * 1000),
      yes: flags.yes,
    })
    if (outcome.exitCode !== 0) this.exit(outcome.exitCode)
  }
}
