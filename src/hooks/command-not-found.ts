// `backplane logni` → "did you mean login?". On a terminal, @oclif/plugin-not-found asks and runs the suggestion;
// anywhere else (scripts, CI, pipes) it would print no suggestion at all, so this hook prints one line instead:
//   Error: "logni" is not a backplane command — did you mean "backplane login"? (see 'backplane help')
// and exits 2, like every other usage error.
import type {Hook} from '@oclif/core'

import {suggestCommand} from '../lib/output/suggest.js'
import {shorten, visible} from '../lib/output/visible.js'

/** A typed word as the error line shows it: escaped, shortened. */
const word = (w: string) => shorten(visible(w), 80)

const hook: Hook.CommandNotFound = async function (opts) {
  const listed = opts.config.commands.filter((c) => !c.hidden)
  const ids = [...listed.map((c) => c.id), ...listed.flatMap((c) => c.aliases)]
  const bin = opts.config.bin
  const typed = opts.id.split(':')
  const suggestion = suggestCommand(opts.id, ids)

  const words = suggestion ? suggestion.split(':').length : 0
  if (suggestion && typed.slice(0, words).join(':') === suggestion) {
    // `backplane status extra`: a real command given words it does not take.
    process.stderr.write(`Error: Unexpected argument: ${word(typed[words])} — see '${[bin, ...typed.slice(0, words)].join(' ')} --help'\n`)
    return this.exit(2)
  }

  if (process.stdin.isTTY && process.stderr.isTTY && suggestion) {
    const {default: notFound} = await import('@oclif/plugin-not-found')
    try {
      return await notFound.call(this, opts)
    } catch (error) {
      // Declined (or timed out): fall through to the one-line error.
      if ((error as {oclif?: {exit?: number}}).oclif?.exit !== 127) throw error
    }
  }

  const shown = (suggestion ? typed.slice(0, words) : typed).map(word).join(' ')
  const rest = [...typed.slice(words), ...(opts.argv ?? [])].map(word)
  const hint = suggestion
    ? `did you mean "${[bin, ...suggestion.split(':'), ...rest].join(' ')}"? (see '${bin} help')`
    : `see '${bin} help' for the list of commands`
  process.stderr.write(`Error: "${shown}" is not a ${bin} command — ${hint}\n`)
  return this.exit(2)
}

export default hook
