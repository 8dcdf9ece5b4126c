// What this CLI prints for `source <(…)` and `eval "$(…)"`: nothing in a value can run or split.
import {CliError} from './errors.js'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A value as one POSIX shell word: always single-quoted, a quote inside as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`
}

/** A value as a shell word for a command shown to a person: bare when it is plainly safe, else quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shellQuote(value)
}

/** `export NAME='value'`; a NAME that is not a shell variable name is an error, never printed. */
export function exportLine(name: string, value: string): string {
  if (!NAME.test(name)) {
    throw new CliError(`refusing to print an export of ${JSON.stringify(name)}: not a shell variable name`, {
      code: 'BAD_NAME',
      hint: 'report this: the name came from the server or a bug',
    })
  }

  return `export ${name}=${shellQuote(value)}`
}
