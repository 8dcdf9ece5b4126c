import type {ChildProcess} from 'node:child_process'

import {CliError} from '../errors.js'

export const BROWSER_ENV = 'BACKPLANE_DEFAULT_OPEN_BROWSER'

/** BACKPLANE_DEFAULT_OPEN_BROWSER: true/false/1/0 in any case; unset or empty is undefined; anything else an error. */
export function browserFromEnv(env: NodeJS.ProcessEnv): boolean | undefined {
  const raw = env[BROWSER_ENV]
  if (raw === undefined || raw.trim() === '') return undefined
  const value = raw.trim().toLowerCase()
  if (value === 'true' || value === '1') return true
  if (value === 'false' || value === '0') return false
  throw new CliError(`invalid ${BROWSER_ENV} "${raw}"`, {code: 'USAGE', exitCode: 2, hint: 'set it to true, false, 1 or 0'})
}

/** Open the browser when -b/--browser is given, else when BACKPLANE_DEFAULT_OPEN_BROWSER says so. */
export function wantsBrowser(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const fromEnv = browserFromEnv(env) // parsed even with the flag, so a bad value is always reported
  return flag === true || fromEnv === true
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
