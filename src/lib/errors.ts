/**
 * The one error type commands throw. It renders as a single line:
 *   Error: <what happened> — <what to do>
 * exitCode 1 for failures, 2 for usage errors.
 */
export class CliError extends Error {
  readonly hint?: string
  readonly exitCode: number
  readonly code: string
  /** The JSON error body an API answered with, when it sent one (printed by `--raw`, as Go's). */
  readonly apiBody?: unknown

  constructor(message: string, opts: {apiBody?: unknown; code?: string; exitCode?: number; hint?: string} = {}) {
    super(message)
    this.name = 'CliError'
    this.hint = opts.hint
    if (opts.apiBody !== undefined) this.apiBody = opts.apiBody
    this.exitCode = opts.exitCode ?? 1
    this.code = opts.code ?? (this.exitCode === 2 ? 'USAGE' : 'FAILED')
  }

  /** The one line shown to the user (without the leading "Error: "). */
  get line(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, {code: 'USAGE', exitCode: 2, hint})
}

/** What a URL's password is shown as (`http://user:********@proxy:3128`). */
export const URL_PASSWORD_MASK = '********'

/** Strip anything that looks like a bearer token, a JWT or a URL's password from a string before it is shown. */
export function redact(text: string): string {
  return text
    .replace(/(bearer\s+)[\w.~+/=-]+/gi, '$1[REDACTED]')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[REDACTED]')
    .replace(/("?(?:access_token|refresh_token|client_secret|token|password)"?\s*[:=]\s*"?)[^"\s,&}]+/gi, '$1[REDACTED]')
    // The password of a URL (a proxy's `http://user:secret@host`), masked as `config get` shows it.
    .replace(/\b([a-z][\w+.-]*:\/\/[^\s:/@"']*:)[^\s@/"']*@/gi, `$1${URL_PASSWORD_MASK}@`)
}
