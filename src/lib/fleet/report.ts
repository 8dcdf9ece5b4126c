// What `backplane each` prints: prefixed lines, a table, a JSON array or JSON lines; a progress line on a
// terminal's stderr; and the one-line summary.
import type {ClusterResult, ClusterStatus} from './runner.js'

import {cellText, renderTable, terminalWidth} from '../output/table.js'
import {formatSeconds} from './runner.js'

export type OutputMode = 'json' | 'jsonl' | 'lines' | 'table'

/** A cluster name as it may be printed: no control characters (a hostile name cannot move the cursor). */
export function printableName(name: string): string {
  return name.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '?')
}

export function statusText(r: Pick<ClusterResult, 'exitCode' | 'status'>): string {
  return r.status === 'failed' && r.exitCode !== null ? `failed(exit ${r.exitCode})` : r.status
}

export function jsonResult(r: ClusterResult): Record<string, unknown> {
  return {
    cluster: r.cluster,
    status: r.status,
    exitCode: r.exitCode,
    durationMs: r.durationMs,
    stdout: r.stdout,
    stderr: r.stderr,
    ...(r.error ? {error: r.error} : {}),
    ...(r.truncated ? {truncated: r.truncated} : {}),
  }
}

export interface Counts {
  failed: number
  interrupted: number
  'login-failed': number
  notStarted: number
  ok: number
  skipped: number
  timeout: number
}

export function countResults(results: Array<{status: ClusterStatus}>, notStarted = 0): Counts {
  const counts: Counts = {failed: 0, interrupted: 0, 'login-failed': 0, notStarted, ok: 0, skipped: 0, timeout: 0}
  for (const r of results) counts[r.status]++
  return counts
}

/** `37 ok, 2 failed, 1 timeout, 3 skipped in 41.2 s` (login-failed, interrupted and not started when there are any). */
export function summaryLine(c: Counts, ms: number): string {
  const parts = [`${c.ok} ok`, `${c.failed} failed`]
  if (c['login-failed'] > 0) parts.push(`${c['login-failed']} login-failed`)
  parts.push(`${c.timeout} timeout`)
  if (c.interrupted > 0) parts.push(`${c.interrupted} interrupted`)
  if (c.notStarted > 0) parts.push(`${c.notStarted} not started`)
  parts.push(`${c.skipped} skipped`)
  return `${parts.join(', ')} in ${(ms / 1000).toFixed(1)} s`
}

/** Writes to stdout and stderr; on a terminal's stderr it also keeps one progress line at the bottom. */
export class Screen {
  private lastDraw = 0
  private progressShown = false
  private started = Date.now()
  private done = 0
  private failures = 0

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly err: NodeJS.WriteStream,
    private readonly total: number,
    private readonly progress: boolean,
  ) {}

  /** false: the stream is full; wait for drained() before writing more of that child's output. */
  write(stream: 'stderr' | 'stdout', text: string): boolean {
    const target = stream === 'stdout' ? this.out : this.err
    if (this.progressShown && target.isTTY) this.clearProgress()
    const ok = target.write(text)
    this.redraw(false)
    return ok
  }

  drained(): Promise<void> {
    if (!this.out.writableNeedDrain && !this.err.writableNeedDrain) return Promise.resolve()
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.out.writableNeedDrain || this.err.writableNeedDrain) return
        this.out.off('drain', check)
        this.err.off('drain', check)
        resolve()
      }

      this.out.on('drain', check)
      this.err.on('drain', check)
    })
  }

  finished(result: ClusterResult): void {
    this.done++
    if (result.status !== 'ok') this.failures++
    this.redraw(true)
  }

  /** Remove the progress line for good (before the summary). */
  close(): void {
    if (this.progressShown) this.clearProgress()
  }

  private clearProgress(): void {
    this.err.write('\r\u001B[2K')
    this.progressShown = false
  }

  private redraw(force: boolean): void {
    if (!this.progress) return
    const now = Date.now()
    if (!force && this.progressShown) return
    if (!force && now - this.lastDraw < 100) return
    this.lastDraw = now
    const width = Math.max(10, Math.min(30, (this.err.columns ?? 80) - 50))
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width)
    const elapsed = now - this.started
    const eta = this.done === 0 ? '-' : formatSeconds(Math.round(((this.total - this.done) * elapsed) / this.done / 100) * 100)
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} · ${this.failures} failed · ETA ${eta}`
    this.err.write(`\r\u001B[2K${line}`)
    this.progressShown = true
  }
}

/** How results are shown, by output mode. */
export interface Renderer {
  /** A line a child printed (lines mode only); false: wait for the screen to drain. */
  line?(name: string, stream: 'stderr' | 'stdout', line: string): boolean
  done(result: ClusterResult): void
  end(): void
}

export function createRenderer(mode: OutputMode, screen: Screen): Renderer {
  switch (mode) {
    case 'lines': {
      return {
        done(r) {
          const prefix = `${printableName(r.cluster.name)} │ `
          if (r.status === 'ok') return
          const what = r.status === 'failed' ? (r.error ?? `exit ${r.exitCode ?? '?'}`) : r.status === 'login-failed' ? `login failed: ${r.error}` : r.status === 'skipped' ? `skipped: ${r.error}` : (r.error ?? r.status)
          screen.write('stderr', `${prefix}${what}\n`)
        },
        end() {},
        line(name, stream, line) {
          return screen.write(stream, `${printableName(name)} │ ${line}\n`)
        },
      }
    }

    case 'jsonl': {
      return {
        done(r) {
          screen.write('stdout', `${JSON.stringify(jsonResult(r))}\n`)
        },
        end() {},
      }
    }

    case 'json': {
      const results: ClusterResult[] = []
      return {
        done(r) {
          results.push(r)
        },
        end() {
          results.sort((a, b) => a.index - b.index)
          if (results.length === 0) {
            screen.write('stdout', '[]\n')
            return
          }

          screen.write('stdout', '[\n')
          for (const [i, r] of results.entries()) screen.write('stdout', `  ${JSON.stringify(jsonResult(r))}${i < results.length - 1 ? ',' : ''}\n`)
          screen.write('stdout', ']\n')
        },
      }
    }

    case 'table': {
      const rows: ClusterResult[] = []
      return {
        done(r) {
          rows.push({...r, stderr: '', stdout: ''})
        },
        end() {
          rows.sort((a, b) => a.index - b.index)
          const columns = [{header: 'CLUSTER'}, {header: 'STATUS'}, {header: 'SECONDS'}, {header: 'FIRST LINE', shrink: true}]
          const table = renderTable(
            columns,
            rows.map((r) => [r.cluster.name, statusText(r), (r.durationMs / 1000).toFixed(1), cellText(r.firstLine ?? r.error)]),
            {maxWidth: terminalWidth()},
          )
          screen.write('stdout', `${table}\n`)
        },
      }
    }
  }
}
