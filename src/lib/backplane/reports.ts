// Cluster reports: /backplane/cluster/{cluster_id}/reports[/{report_id}] of backplane-api (spec ListReports,
// Report, CreateReport). The Go tool has no command for them.
import type {BackplaneClient} from './client.js'

import {CliError} from '../errors.js'
import {urlPath} from '../ids.js'

export interface ReportSummary {
  created_at: string
  report_id: string
  summary: string
}

export interface Report extends ReportSummary {
  /** base64 */
  data: string
}

/** What `report create` accepts, before base64. */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024

const REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/

/** A report id as typed: checked before it becomes a URL segment. */
export function checkReportId(value: string): string {
  if (REPORT_ID.test(value)) return value
  throw new CliError(`invalid report id "${value.slice(0, 80).replace(/[^\x20-\x7E]/g, '?')}"`, {
    code: 'USAGE',
    exitCode: 2,
    hint: "a report id is a letter or digit, then letters, digits, '.', '_' or '-' (see 'backplane report list')",
  })
}

function bad(what: string, why: string): CliError {
  return new CliError(`backplane answered ${what} with an unexpected body (${why})`, {hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)'})
}

function asSummary(item: unknown, what: string): ReportSummary {
  const r = item as Record<string, unknown>
  if (!r || typeof r !== 'object' || typeof r.report_id !== 'string' || r.report_id === '') throw bad(what, 'no report_id')
  return {created_at: typeof r.created_at === 'string' ? r.created_at : '', report_id: r.report_id, summary: typeof r.summary === 'string' ? r.summary : ''}
}

export class ReportsApi {
  constructor(
    private readonly client: BackplaneClient,
    readonly clusterId: string,
  ) {}

  private url(reportId?: string): string {
    const base = urlPath(`${this.client.baseUrl}/backplane/cluster`, this.clusterId, 'reports')
    return reportId === undefined ? base : urlPath(base, checkReportId(reportId))
  }

  /** GET …/reports?last=N: newest first. */
  async list(last?: number): Promise<ReportSummary[]> {
    const body = await this.client.http.getJson<{reports?: unknown}>(this.url(), {
      headers: await this.client.auth(),
      searchParams: last === undefined ? undefined : {last: String(last)},
    })
    if (!body || typeof body !== 'object' || !Array.isArray(body.reports)) throw bad('the report list', 'no reports list')
    return body.reports.map((r, i) => asSummary(r, `the report list (item ${i + 1})`))
  }

  async get(reportId: string): Promise<Report> {
    const url = this.url(reportId)
    let body: Record<string, unknown>
    try {
      body = await this.client.http.getJson<Record<string, unknown>>(url, {headers: await this.client.auth()})
    } catch (error) {
      if (error instanceof CliError && error.code === 'HTTP_404') {
        throw new CliError(`no report ${reportId} on cluster ${this.clusterId}`, {code: 'NOT_FOUND', hint: "see 'backplane report list'"})
      }

      throw error
    }

    const summary = asSummary(body, `report ${reportId}`)
    if (typeof body.data !== 'string') throw bad(`report ${reportId}`, 'no data')
    return {...summary, data: body.data}
  }

  async create(summary: string, data: Buffer): Promise<Report> {
    const body = await this.client.http.postJson<Record<string, unknown>>(this.url(), {
      headers: await this.client.auth(),
      json: {data: data.toString('base64'), summary},
    })
    const created = asSummary(body, 'the new report')
    return {...created, data: typeof body.data === 'string' ? body.data : ''}
  }
}

/** The report's content, decoded: exactly the bytes that were attached. */
export function reportBytes(report: Report): Buffer {
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(report.data)) throw bad(`report ${report.report_id}`, 'data is not base64')
  return Buffer.from(report.data, 'base64')
}
