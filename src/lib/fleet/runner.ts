// The fan-out of `backplane each`: at most `parallel` clusters in flight, each logged in to, given its own
// kubeconfig and its own child process, bounded by a timeout, stopped (children killed) on interrupt.
import {type ChildProcess, spawn} from 'node:child_process'
import {rm} from 'node:fs/promises'
import type {Readable} from 'node:stream'

import type {OcmCluster} from '../ocm/clusters.js'

import {Capture, LineSplitter} from './lines.js'

export type ClusterStatus = 'failed' | 'interrupted' | 'login-failed' | 'ok' | 'skipped' | 'timeout'

export interface ClusterResult {
  cluster: {id: string; name: string}
  durationMs: number
  /** Why it did not run to the end: the login's error line, the skip reason, the timeout. */
  error?: string
  exitCode: null | number
  /** The first non-empty line it printed (stdout's, else stderr's). */
  firstLine?: string
  /** Its position in the list of clusters (results arrive in the order clusters finish). */
  index: number
  status: ClusterStatus
  stderr: string
  stdout: string
  /** Bytes dropped from stdout / stderr beyond --max-output. */
  truncated?: {stderr?: number; stdout?: number}
}

export interface RunnerOptions {
  /** What runs for each cluster (argv unchanged), with the cluster's KUBECONFIG, CLUSTER_ID and CLUSTER_NAME. */
  command: {args: string[]; file: string}
  /** Keep up to this many bytes of each stream per cluster (for --json / -o jsonl); undefined keeps none. */
  captureBytes?: number
  env: NodeJS.ProcessEnv
  /** Backplane login for one cluster, then its kubeconfig written at `path`. */
  prepare: (cluster: OcmCluster, path: string) => Promise<void>
  /** The path of cluster `index`'s kubeconfig (in the private directory). */
  kubeconfigPath: (index: number) => string
  /** A whole line of a child's output; false: hold the child's output until `drained` resolves. */
  onLine?: (index: number, stream: 'stderr' | 'stdout', line: string) => boolean
  drained?: () => Promise<void>
  onStart?: (index: number) => void
  onDone: (result: ClusterResult) => void
  parallel: number
  /** Aborted: start nothing new, kill the children running, report those as interrupted. */
  stop: AbortSignal
  timeoutMs: number
}

/** Time a killed child gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    try {
      child.kill(signal)
    } catch {
      // already gone
    }
  }
}

function firstLineOf(line: string, current: string | undefined): string | undefined {
  if (current !== undefined) return current
  const trimmed = line.trim()
  return trimmed === '' ? undefined : trimmed.slice(0, 500)
}

function errorLine(error: unknown): string {
  const e = error as {line?: string; message?: string}
  return (e?.line ?? e?.message ?? String(error)).split('\n')[0]!
}

/** Run every cluster; resolves when all that started have finished. Returns how many were never started. */
export async function runFleet(clusters: OcmCluster[], o: RunnerOptions): Promise<{notStarted: number}> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (!o.stop.aborted && next < clusters.length) {
      const index = next++
      o.onStart?.(index)
      // eslint-disable-next-line no-await-in-loop
      o.onDone(await runOne(clusters[index]!, index, o))
    }
  }

  await Promise.all(Array.from({length: Math.max(1, Math.min(o.parallel, clusters.length))}, () => worker()))
  return {notStarted: clusters.length - next}
}

async function runOne(cluster: OcmCluster, index: number, o: RunnerOptions): Promise<ClusterResult> {
  const started = Date.now()
  const ended = new AbortController()
  let reason: 'interrupted' | 'timeout' | undefined
  const timer = setTimeout(() => {
    reason ??= 'timeout'
    ended.abort()
  }, o.timeoutMs)
  const onStop = (): void => {
    reason ??= 'interrupted'
    ended.abort()
  }

  o.stop.addEventListener('abort', onStop, {once: true})
  const base = {cluster: {id: cluster.id, name: cluster.name}, index}
  const stopped = (extra: Partial<ClusterResult> = {}): ClusterResult => ({
    ...base,
    durationMs: Date.now() - started,
    error: reason === 'timeout' ? `timed out after ${formatSeconds(o.timeoutMs)}` : 'interrupted',
    exitCode: null,
    status: reason!,
    stderr: '',
    stdout: '',
    ...extra,
  })
  const path = o.kubeconfigPath(index)
  try {
    const abortedWait = new Promise<'aborted'>((resolve) => ended.signal.addEventListener('abort', () => resolve('aborted'), {once: true}))
    try {
      const prepared = o.prepare(cluster, path)
      // A login still under way when the cluster times out is left to finish; its answer is not used.
      prepared.catch(() => {})
      if ((await Promise.race([prepared, abortedWait])) === 'aborted') return stopped()
    } catch (error) {
      if (reason) return stopped()
      return {...base, durationMs: Date.now() - started, error: errorLine(error), exitCode: null, status: 'login-failed', stderr: '', stdout: ''}
    }

    if (ended.signal.aborted) return stopped()
    return await runChild(cluster, index, path, o, ended.signal, () => reason, started)
  } finally {
    clearTimeout(timer)
    o.stop.removeEventListener('abort', onStop)
    await rm(path, {force: true})
  }
}

function runChild(
  cluster: OcmCluster,
  index: number,
  path: string,
  o: RunnerOptions,
  ended: AbortSignal,
  reason: () => 'interrupted' | 'timeout' | undefined,
  started: number,
): Promise<ClusterResult> {
  return new Promise((resolve) => {
    const env = {...o.env, CLUSTER_ID: cluster.id, CLUSTER_NAME: cluster.name, KUBECONFIG: path}
    const child = spawn(o.command.file, o.command.args, {detached: true, env, stdio: ['ignore', 'pipe', 'pipe']})
    const captures = o.captureBytes === undefined ? undefined : {stderr: new Capture(o.captureBytes), stdout: new Capture(o.captureBytes)}
    let firstOut: string | undefined
    let firstErr: string | undefined
    let spawnError: string | undefined
    const wire = (stream: Readable, name: 'stderr' | 'stdout'): void => {
      const splitter = new LineSplitter((line) => {
        if (name === 'stdout') firstOut = firstLineOf(line, firstOut)
        else firstErr = firstLineOf(line, firstErr)
        if (o.onLine && !o.onLine(index, name, line) && !stream.isPaused()) {
          stream.pause()
          o.drained?.().then(() => stream.resume())
        }
      })
      stream.on('data', (chunk: Buffer) => {
        captures?.[name].push(chunk)
        splitter.push(chunk)
      })
      stream.on('end', () => splitter.end())
    }

    wire(child.stdout!, 'stdout')
    wire(child.stderr!, 'stderr')
    let graceTimer: NodeJS.Timeout | undefined
    const kill = (): void => {
      killGroup(child, 'SIGTERM')
      graceTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS)
    }

    ended.addEventListener('abort', kill, {once: true})
    child.on('error', (error) => {
      spawnError = `cannot run ${o.command.file}: ${error.message}`
    })
    child.on('close', (code, signal) => {
      clearTimeout(graceTimer)
      ended.removeEventListener('abort', kill)
      const why = reason()
      const truncated = captures && (captures.stdout.dropped > 0 || captures.stderr.dropped > 0)
        ? {...(captures.stdout.dropped > 0 ? {stdout: captures.stdout.dropped} : {}), ...(captures.stderr.dropped > 0 ? {stderr: captures.stderr.dropped} : {})}
        : undefined
      const exitCode = code ?? (signal ? 128 + signalNumber(signal) : null)
      let status: ClusterStatus = why ?? (code === 0 ? 'ok' : 'failed')
      if (spawnError) status = 'failed'
      resolve({
        cluster: {id: cluster.id, name: cluster.name},
        durationMs: Date.now() - started,
        ...(spawnError ? {error: spawnError} : why === 'timeout' ? {error: `timed out after ${formatSeconds(o.timeoutMs)}`} : why ? {error: 'interrupted'} : {}),
        exitCode: why ? null : exitCode,
        firstLine: firstOut ?? firstErr,
        index,
        status,
        stderr: captures?.stderr.text() ?? '',
        stdout: captures?.stdout.text() ?? '',
        ...(truncated ? {truncated} : {}),
      })
    })
  })
}

const SIGNALS: Record<string, number> = {SIGABRT: 6, SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGQUIT: 3, SIGSEGV: 11, SIGTERM: 15}

function signalNumber(signal: NodeJS.Signals): number {
  return SIGNALS[signal] ?? 0
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}
