// Flags shared by several commands. A command spreads the groups it needs into its `static flags`.
import {Flags} from '@oclif/core'

import {usageError} from './lib/errors.js'

/** `--url` and `--proxy`: every command that calls backplane (they feed the services, see BaseCommand). */
export const backplaneFlags = {
  proxy: Flags.string({description: 'HTTP(S) proxy for backplane calls (default: HTTPS_PROXY, then proxy-url in the backplane config)', helpGroup: 'BACKPLANE'}),
  url: Flags.string({description: 'backplane URL (default: BACKPLANE_URL, then the one OCM advertises; url in the backplane config is deprecated, as in Go)', helpGroup: 'BACKPLANE'}),
}

/** `-c/--cluster-id`: the script, managed-job and report commands. */
export const clusterFlags = {
  'cluster-id': Flags.string({
    char: 'c',
    description: 'cluster id, external id or name (default: the cluster of the current kubeconfig context)',
  }),
}

/** Go's `--raw` of the script, managedjob and remediation commands: on failure, print the API's error body as JSON. */
export const rawFlag = {
  raw: Flags.boolean({description: "on an API error, also print backplane's error body as JSON on stdout (Go's --raw)"}),
}

/** Go's `--manager` of `managedjob create` and `logs`: act on the cluster that manages the one named. */
export const managerFlag = {
  manager: Flags.boolean({description: "act on the cluster that manages this one instead (HyperShift: its management cluster; classic: its Hive shard), as Go's --manager"}),
}

/** `-o/--output <format>` with the formats a command renders (default: text). */
export function outputFlag<const F extends readonly string[]>(formats: F, description: string) {
  return {output: Flags.option({char: 'o', default: 'text' as F[number], description, options: formats})()}
}

/** `--timeout 90`, `--interval 0.5`: a positive number of seconds (fractions allowed), as milliseconds. */
export function parseSeconds(value: string, flag: string): number {
  const secs = Number(value)
  if (value.trim() === '' || !Number.isFinite(secs) || secs <= 0) {
    throw usageError(`invalid ${flag} "${value}": expected a positive number of seconds`, `e.g. ${flag} 30`)
  }

  return Math.round(secs * 1000)
}
