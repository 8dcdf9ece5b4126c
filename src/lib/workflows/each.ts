// The whole of `backplane each`: resolve the clusters, guard (--max, --dry-run, --reason), then fan out with one
// backplane login and one temporary kubeconfig per cluster; the user's kubeconfig is never read for writing.
import {accessSync, constants as fsConstants, mkdtempSync, rmSync} from 'node:fs'
import {chmod, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'

import type {Services} from '../services.js'

import {CliError} from '../errors.js'
import {KubeconfigFile} from '../kube/kubeconfig.js'
import {applyLoginEntries, loginContextName} from '../kube/login-entries.js'
import {ELEVATED_USER, ocBinary} from './elevate.js'
import {loginEntries} from './login.js'
import {usernameOf} from '../ocm/jwt.js'
import {type Counts, countResults, createRenderer, type OutputMode, printableName, Screen, summaryLine} from '../fleet/report.js'
import {type ClusterResult, runFleet} from '../fleet/runner.js'
import {resolveTargets, type Target, type TargetSource} from '../fleet/targets.js'

export interface EachOptions {
  /** `oc`/`kubectl` arguments, unchanged; or a shell line (`--sh`). */
  command: {args: string[]} | {sh: string}
  cliCommand: string[]
  /** Ask before an elevated run (a TTY); undefined: no one to ask. */
  confirm?: (question: string) => Promise<boolean>
  dryRun: boolean
  env: NodeJS.ProcessEnv
  max: number
  maxOutput: number
  output: OutputMode
  parallel: number
  /** --reason: run elevated, with this reason. */
  reason?: string
  source: TargetSource
  stdin?: NodeJS.ReadableStream
  stderr: NodeJS.WriteStream
  stdout: NodeJS.WriteStream
  timeoutMs: number
  yes: boolean
}

export interface EachOutcome {
  counts: Counts
  /** 0 when every cluster that was not skipped succeeded; 130 after Ctrl-C. */
  exitCode: number
}

/** The first of `names` that is an executable file on PATH. */
export function findOnPath(names: string[], env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name)
      try {
        accessSync(candidate, fsConstants.X_OK)
        return candidate
      } catch {
        // next
      }
    }
  }

  return undefined
}

/** What elevate runs (BACKPLANE_OC, else `oc`, else `kubectl`), checked before any cluster starts. */
export function ocCommand(env: NodeJS.ProcessEnv): string {
  const bin = ocBinary(env)
  if (bin.includes('/') || findOnPath([bin], env)) return bin
  throw new CliError(env.BACKPLANE_OC ? `BACKPLANE_OC names ${bin}, which is not on PATH` : 'neither oc nor kubectl is on PATH', {
    hint: 'install oc or kubectl, set BACKPLANE_OC to the program to run, or run a shell line with --sh',
  })
}

function nameList(targets: Target[]): string {
  const shown = targets.slice(0, 10).map((t) => printableName(t.cluster.name)).join(', ')
  return targets.length > 10 ? `${shown}, … (${targets.length - 10} more)` : shown
}

function describeCommand(command: EachOptions['command']): string {
  return 'sh' in command ? `sh -c ${JSON.stringify(command.sh)}` : `oc ${command.args.join(' ')}`
}

export async function each(services: Services, o: EachOptions): Promise<EachOutcome> {
  const started = Date.now()
  const file = 'sh' in o.command ? '/bin/sh' : o.dryRun ? 'oc' : ocCommand(o.env)
  const args = 'sh' in o.command ? ['-c', o.command.sh] : o.command.args
  const targets = await resolveTargets(services.clusters, o.source, o.stdin)
  const runnable = targets.filter((t) => !t.skip)

  if (o.dryRun) {
    dryRun(o, targets)
    return {counts: countResults([], 0), exitCode: 0}
  }

  if (runnable.length > o.max && !o.yes) {
    throw new CliError(`${runnable.length} clusters would run, more than --max ${o.max}: ${nameList(runnable)}`, {
      code: 'TOO_MANY',
      hint: 'check the list with --dry-run, then pass --yes (or a higher --max)',
    })
  }

  if (o.reason !== undefined && !o.yes && runnable.length > 0) {
    if (!o.confirm) throw new CliError('an elevated run needs confirmation', {hint: 'pass --yes (there is no terminal to ask on)'})
    const question = `Run ${describeCommand(o.command)} as ${ELEVATED_USER} on ${runnable.length} cluster${runnable.length === 1 ? '' : 's'} (reason: ${o.reason})?`
    if (!(await o.confirm(question))) throw new CliError('not confirmed', {code: 'ABORTED', hint: 'nothing was run'})
  }

  const screen = new Screen(o.stdout, o.stderr, targets.length, Boolean(o.stderr.isTTY))
  const renderer = createRenderer(o.output, screen)
  const results: ClusterResult[] = []
  const report = (r: ClusterResult): void => {
    results.push(r)
    renderer.done(r)
    screen.finished(r)
  }

  for (const [index, t] of targets.entries()) {
    if (t.skip) report({cluster: {id: t.cluster.id, name: t.cluster.name}, durationMs: 0, error: t.skip, exitCode: null, index, status: 'skipped', stderr: '', stdout: ''})
  }

  const stop = new AbortController()
  let interrupted: NodeJS.Signals | undefined
  // One private directory (0700) for every temporary kubeconfig (0600), removed however this ends.
  const dir = mkdtempSync(join(tmpdir(), 'backplane-each-'))
  const removeDir = (): void => rmSync(dir, {force: true, recursive: true})
  process.once('exit', removeDir)
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      // A second Ctrl-C: leave now.
      removeDir()
      process.exit(signalExit(signal))
    }

    interrupted = signal
    stop.abort()
  }

  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const s of signals) process.on(s, onSignal)
  try {
    await chmod(dir, 0o700)
    const indexOf = new Map(targets.map((t, i) => [t.cluster.id, i]))
    let prepare: (cluster: Target['cluster'], path: string) => Promise<void> = async () => {}
    if (runnable.length > 0) {
      const token = await services.ocm.accessToken()
      const backplane = await services.backplane()
      const username = usernameOf(token) ?? 'backplane-user'
      // Login's entries (token helper installed once, CA, proxy); each cluster changes only its name and server.
      const shared = await loginEntries(services, {
        cliCommand: o.cliCommand,
        clusterName: 'cluster',
        contextName: 'context',
        env: o.env,
        namespace: 'default',
        proxyUrl: backplane.proxy,
        server: backplane.baseUrl,
        token,
      })
      prepare = async (cluster, path) => {
        const server = await backplane.login(cluster.id)
        const kubeconfig = KubeconfigFile.parse(path, undefined)
        const contextName = loginContextName('default', cluster.name, username)
        applyLoginEntries(kubeconfig, {...shared, clusterName: cluster.name, contextName, server})
        if (o.reason !== undefined) kubeconfig.upsert('users', shared.userName, {as: ELEVATED_USER, 'as-user-extra': {reason: [o.reason]}})
        await writeFile(path, kubeconfig.toString(), {flag: 'wx', mode: 0o600})
      }
    }

    const clusters = runnable.map((t) => t.cluster)
    const {notStarted} = await runFleet(clusters, {
      captureBytes: o.output === 'json' || o.output === 'jsonl' ? o.maxOutput : undefined,
      command: {args, file},
      drained: () => screen.drained(),
      env: o.env,
      kubeconfigPath: (i) => join(dir, `cluster-${i}.kubeconfig`),
      onDone: (r) => report({...r, index: indexOf.get(r.cluster.id) ?? r.index}),
      onLine: renderer.line ? (i, stream, line) => renderer.line!(clusters[i]!.name, stream, line) : undefined,
      parallel: o.parallel,
      prepare,
      stop: stop.signal,
      timeoutMs: o.timeoutMs,
    })
    renderer.end()
    screen.close()
    const counts = countResults(results, notStarted)
    o.stderr.write(`${summaryLine(counts, Date.now() - started)}\n`)
    const failed = counts.failed + counts['login-failed'] + counts.timeout + counts.interrupted + counts.notStarted
    return {counts, exitCode: interrupted ? signalExit(interrupted) : failed > 0 ? 1 : 0}
  } finally {
    for (const s of signals) process.off(s, onSignal)
    removeDir()
    process.off('exit', removeDir)
  }
}

function signalExit(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143
}

function dryRun(o: EachOptions, targets: Target[]): void {
  if (o.output === 'json' || o.output === 'jsonl') {
    const items = targets.map((t) => ({cluster: {id: t.cluster.id, name: t.cluster.name}, status: t.skip ? 'skipped' : 'would-run', ...(t.skip ? {reason: t.skip} : {})}))
    o.stdout.write(o.output === 'json' ? `${JSON.stringify(items, null, 2)}\n` : items.map((i) => `${JSON.stringify(i)}\n`).join(''))
  } else {
    for (const t of targets) o.stdout.write(`${printableName(t.cluster.name)}  ${t.cluster.id}  ${t.skip ? `skip (${t.skip})` : 'would run'}\n`)
  }

  const runs = targets.filter((t) => !t.skip).length
  o.stderr.write(`dry run: ${describeCommand(o.command)} would run on ${runs} cluster${runs === 1 ? '' : 's'}, ${targets.length - runs} skipped; nothing was run\n`)
}
