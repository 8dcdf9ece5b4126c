import {Flags} from '@oclif/core'

/** `-c/--cluster-id` of every script and managed-job command. */
export const clusterFlags = {
  'cluster-id': Flags.string({
    char: 'c',
    description: 'cluster id, external id or name (default: the cluster of the current kubeconfig context)',
  }),
}

/** A positive number of seconds (fractions allowed), as milliseconds. */
export const secondsFlag = Flags.custom<number>({
  async parse(input) {
    const secs = Number(input)
    if (input.trim() === '' || !Number.isFinite(secs) || secs <= 0) throw new Error(`Expected a positive number of seconds but received: ${input}`)
    return Math.round(secs * 1000)
  },
})
