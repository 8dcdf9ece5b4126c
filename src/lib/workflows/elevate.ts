// `backplane elevate [REASON] [-- ARGS…]`: record a reason for backplane-cluster-admin, and run oc/kubectl as it.
import {accessSync, constants, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'

import {usageError} from '../errors.js'
import {writeFileAtomic} from '../fs/atomic.js'
import {currentBackplaneCluster} from '../kube/current-cluster.js'
import {checkReason, type Clock, ELEVATE_VALIDITY_MINUTES, elevateState, recordElevateReasons, systemClock} from '../kube/elevate-context.js'
import {KubeconfigFile, kubeconfigPaths, KubeconfigSet} from '../kube/kubeconfig.js'
import {elevatedEntries, writeContextEntries} from '../kube/login-entries.js'
import {runForeground} from '../process/foreground.js'

export const ELEVATED_USER = 'backplane-cluster-admin'
export const REASON_ENV = 'BACKPLANE_ELEVATE_REASON'

export interface ElevateOptions {
  /** Asks a person for a reason (undefined when nobody is at a terminal). */
  ask?: () => Promise<string>
  clock?: Clock
  env: NodeJS.ProcessEnv
  reason?: string
}

export interface ElevateReasons {
  context: string
  file: string
  reasons: string[]
}

/** Find the reasons (given, BACKPLANE_ELEVATE_REASON, cached, else asked) and record them in the current context. */
export async function elevateReasons(o: ElevateOptions): Promise<ElevateReasons> {
  const paths = kubeconfigPaths(o.env)
  const set = await KubeconfigSet.load(paths)
  const {context} = currentBackplaneCluster(set, "elevate works on a backplane context: log in with 'backplane login <cluster>' first")
  const clock = o.clock ?? systemClock
  const given = [checkReason(o.reason), checkReason(o.env[REASON_ENV])].filter((r): r is string => r !== undefined)
  if (given.length === 0 && elevateState(set, clock())!.reasons.length === 0) {
    if (!o.ask) {
      throw usageError(
        `no elevation reason given, and none cached for context "${context}" in the last ${ELEVATE_VALIDITY_MINUTES} minutes`,
        `give one: 'backplane elevate "<reason>" -- <command>', or set ${REASON_ENV}; -n/--no-reason uses a cached reason`,
      )
    }

    const asked = checkReason(await o.ask())
    if (asked === undefined) throw usageError('an empty elevation reason is not accepted', 'give a reason, e.g. a ticket or incident id')
    given.push(asked)
  }

  const state = await recordElevateReasons(paths, given, {clock, expectContext: context})
  return {context, file: state.file, reasons: state.reasons}
}

/** The program elevate runs: BACKPLANE_OC, else `oc` when on PATH, else `kubectl`. */
export function ocBinary(env: NodeJS.ProcessEnv): string {
  if (env.BACKPLANE_OC) return env.BACKPLANE_OC
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    try {
      accessSync(join(dir, 'oc'), constants.X_OK)
      return 'oc'
    } catch {}
  }

  return 'kubectl'
}

/**
 * Write a kubeconfig holding only the current context, its cluster and its user impersonating
 * backplane-cluster-admin with the reasons, in a fresh private (0700) directory. Returns the directory.
 */
export async function writeElevatedKubeconfig(env: NodeJS.ProcessEnv, context: string, reasons: string[]): Promise<{dir: string; path: string}> {
  const set = await KubeconfigSet.load(kubeconfigPaths(env))
  const entries = elevatedEntries(set, context, ELEVATED_USER, reasons)
  const dir = mkdtempSync(join(tmpdir(), 'backplane-elevate-'))
  const path = join(dir, 'config')
  try {
    const file = KubeconfigFile.parse(path, undefined)
    writeContextEntries(file, entries)
    await writeFileAtomic(path, file.toString(), 0o600)
  } catch (error) {
    rmSync(dir, {force: true, recursive: true})
    throw error
  }

  return {dir, path}
}

/**
 * Run `bin args…` with KUBECONFIG set to the elevated copy, on this terminal, and return its exit status.
 * The copy is removed afterwards, whatever happens: the child fails, we get SIGINT/SIGTERM/SIGHUP, or this
 * process exits.
 */
export async function runElevated(bin: string, args: string[], env: NodeJS.ProcessEnv, kubeconfig: {dir: string; path: string}): Promise<number> {
  const cleanup = () => rmSync(kubeconfig.dir, {force: true, recursive: true})
  process.once('exit', cleanup)
  try {
    return await runForeground(bin, args, {env: {...env, KUBECONFIG: kubeconfig.path}, hint: 'install oc or kubectl, or set BACKPLANE_OC to the program to run'})
  } finally {
    cleanup()
    process.off('exit', cleanup)
  }
}
