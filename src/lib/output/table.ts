// A small table renderer for list output (no dependency: @oclif/table costs ~220 ms of start-up).
import {visible} from './visible.js'

export interface Column {
  header: string
  /** This column gives up width (its cells end with …) when the table is wider than maxWidth. */
  shrink?: boolean
}

export interface TableOptions {
  /** Terminal width to fit in (stdout's columns on a TTY); undefined: no limit (pipes, files). */
  maxWidth?: number
}

const GAP = '  '
const MIN_SHRUNK = 10

/** One line of text that is safe to print in a cell: control characters, newlines and tabs shown as escapes (`\x1b`). */
export function cellText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-'
  return visible(String(value).trim()) || '-'
}

function width(text: string): number {
  return [...text].length
}

export function truncate(text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  if (max <= 1) return chars.slice(0, max).join('')
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`
}

/** Columns separated by two spaces, headers first; no trailing spaces. */
export function renderTable(columns: Column[], rows: unknown[][], opts: TableOptions = {}): string {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i])))
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]))))
  if (opts.maxWidth !== undefined) {
    let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1) - opts.maxWidth
    for (let i = columns.length - 1; i >= 0 && excess > 0; i--) {
      if (!columns[i].shrink) continue
      const floor = Math.max(MIN_SHRUNK, width(columns[i].header))
      const give = Math.min(excess, Math.max(0, widths[i] - floor))
      widths[i] -= give
      excess -= give
    }
  }

  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const t = truncate(v, widths[i])
        return t.padEnd(widths[i] + (t.length - width(t)))
      })
      .join(GAP)
      .trimEnd()
  return [line(columns.map((c) => c.header)), ...cells.map((r) => line(r))].join('\n')
}

/** "5m ago", "3h ago", "2d ago" (the ISO string itself when it is not a date). */
export function relativeTime(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '-'
  const then = Date.parse(iso)
  if (Number.isNaN(then)) return iso
  const secs = Math.round((now - then) / 1000)
  if (secs < 0) return iso
  if (secs < 5) return 'just now'
  if (secs < 60) return `${secs}s ago`
  if (secs < 3600) return `${Math.floor(secs / 60)}m ago`
  if (secs < 86_400) return `${Math.floor(secs / 3600)}h ago`
  return `${Math.floor(secs / 86_400)}d ago`
}

/** Where a table must fit: the terminal's width on a TTY, no limit otherwise. */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined
}
