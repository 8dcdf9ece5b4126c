// What `report list` prints.
import type {ReportSummary} from '../backplane/reports.js'

import {relativeTime, renderTable, terminalWidth} from './table.js'

/** REPORT ID / CREATED / SUMMARY: fitted and relative on a terminal, full width and ISO in pipes. */
export function reportTable(reports: ReportSummary[], now?: number): string {
  const relative = Boolean(process.stdout.isTTY)
  const rows = reports.map((r) => [r.report_id, relative ? relativeTime(r.created_at, now) : r.created_at, r.summary])
  return renderTable([{header: 'REPORT ID'}, {header: 'CREATED'}, {header: 'SUMMARY', shrink: true}], rows, {maxWidth: terminalWidth()})
}
