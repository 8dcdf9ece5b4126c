import {Flags} from '@oclif/core'

import {usageError} from '../errors.js'

/** `-c/--cluster-id` of every script and managed-job command. */
export const clusterFlags = {
  'cluster-id': Flags.string({
    char: 'c',
    description: 'cluster id, external id or name (default: the cluster of the current kubeconfig context)',
  }),
}

/** `--timeout 90`, `--interval 0.5`: a positive number of seconds (fractions allowed), as milliseconds. */
export function parseSeconds(value: string, flag: string): number {
  const secs = Number(value)
  if (value.trim() === '' || !Number.isFinite(secs) || secs <= 0) {
    throw usageError(`invalid ${flag} "${value}": expected a positive number of seconds`, `e.g. ${flag} 30`)
  }

  return Math.round(secs * 1000)
}
