import {expect} from 'chai'

import type {RunResult} from './cli.js'

import {CliError} from '../../src/lib/errors.js'

/**
 * The bad-input contract: exactly one line `Error: …` on stderr, the exit code, no stack trace, nothing on stdout.
 * `line` is the whole line (string) or a pattern it must match. `progressOnStderr` allows other stderr lines
 * (progress of a job that then failed), `stdoutAllowed` output before the failure.
 */
export function expectOneErrorLine(
  r: Pick<RunResult, 'code' | 'stderr' | 'stdout'>,
  code: number,
  line: RegExp | string,
  opts: {progressOnStderr?: boolean; stdoutAllowed?: boolean} = {},
): void {
  expect(r.code, r.stderr).to.equal(code)
  if (!opts.stdoutAllowed) expect(r.stdout).to.equal('')
  const lines = r.stderr.split('\n').filter((l) => (opts.progressOnStderr ? l.startsWith('Error') : l !== ''))
  expect(lines, r.stderr).to.have.length(1)
  if (typeof line === 'string') expect(lines[0]).to.equal(line)
  else expect(lines[0]).to.match(/^Error: /).and.match(line)
  expect(r.stderr).not.to.match(/\n\s+at /)
}

/** Run `fn`, which must throw a CliError, and return it for the caller's assertions. */
export function thrownCliError(fn: () => unknown): CliError {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    return error as CliError
  }

  throw new Error('expected a CliError')
}
