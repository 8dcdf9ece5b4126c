import type {ChildProcess} from 'node:child_process'

import {parseGoBool} from '../backplane/config.js'
import {CliError} from '../errors.js'

export const BROWSER_ENV = 'BACKPLANE_DEFAULT_OPEN_BROWSER'

/**
 * BACKPLANE_DEFAULT_OPEN_BROWSER, read as Go's strconv.ParseBool (1, t, T, TRUE, true, True, 0, f, F, FALSE, false,
 * False); unset or empty is undefined; anything else an error, as in Go.
 */
export function browserFromEnv(env: NodeJS.ProcessEnv): boolean | undefined {
  const raw = env[BROWSER_ENV]
  if (raw === undefined || raw.trim() === '') return undefined
  const value = parseGoBool(raw.trim())
  if (value === undefined) throw new CliError(`invalid ${BROWSER_ENV} "${raw}"`, {code: 'USAGE', exitCode: 2, hint: 'set it to true or false (or 1, 0, t, f, TRUE, FALSE)'})
  return value
}

/** As in Go, BACKPLANE_DEFAULT_OPEN_BROWSER replaces -b/--browser when set (false wins over -b); else the flag. */
export function wantsBrowser(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const fromEnv = browserFromEnv(env)
  return fromEnv ?? flag === true
}

/** How long to watch the launcher (xdg-open, open) for a quick failure before assuming it worked. */
const LAUNCH_WATCH_MS = 3000

/**
 * Open a URL in the user's browser with the `open` package (loaded only here). Resolves when the
 * launcher exited 0 or is still running after a few seconds; rejects with a one-line reason when it
 * could not be started or exited with an error (no browser, no display…).
 */
export async function openInBrowser(url: string): Promise<void> {
  const {default: open} = await import('open')
  const child: ChildProcess = await open(url)
  await new Promise<void>((resolve, reject) => {
    if (child.exitCode !== null) {
      if (child.exitCode === 0) resolve()
      else reject(new Error(`the browser launcher exited with code ${child.exitCode}`))
      return
    }

    const timer = setTimeout(() => {
      child.off('exit', onExit)
      resolve()
    }, LAUNCH_WATCH_MS)
    function onExit(code: number | null, signal: NodeJS.Signals | null): void {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(code === null ? `the browser launcher was killed by ${signal}` : `the browser launcher exited with code ${code}`))
    }

    child.once('exit', onExit)
  })
}
