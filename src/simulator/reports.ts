// backplane-api's client config (GET /backplane/config) and cluster reports
// (/backplane/cluster/{id}/reports[/{reportId}]), as the spec describes them.
import {randomBytes} from 'node:crypto'

import {SEED} from './data.js'
import {type RequestContext, type SimState, sendJson} from './http.js'

export interface SimReport {
  cluster_id: string
  created_at: string
  /** base64 */
  data: string
  report_id: string
  summary: string
}

/** What GET /backplane/config answers (spec ClientConfig). */
export const CLIENT_CONFIG = {
  assume_initial_arn: 'arn:aws:iam::123456789012:role/SRE-Support-Initial',
  jira_base_url: 'https://issues.example.com',
  jira_config_for_access_requests: {'issue-type': 'Story', 'project-key': 'OHSS', 'transition-states': {approved: 'In Progress', denied: 'Closed'}},
  prod_env_name: 'production',
}

const stores = new WeakMap<SimState, SimReport[]>()

/** The live reports of a simulator (seeded with two on demo-cluster); tests may push to it. */
export function reportsOf(state: SimState): SimReport[] {
  let list = stores.get(state)
  if (!list) {
    list = [
      seedReport('r-1a2b3c4d', 'must-gather notes: etcd slow', '2024-05-01T10:00:00Z', 'etcd fsync p99 800ms on master-1\n'),
      seedReport('r-5e6f7a8b', 'upgrade stuck at 4.15.3', '2024-05-03T09:30:00Z', 'MCP worker degraded; node ip-10-0-1-12 drained\n'),
    ]
    stores.set(state, list)
  }

  return list
}

function seedReport(id: string, summary: string, created: string, text: string): SimReport {
  return {cluster_id: SEED.demo.id, created_at: created, data: Buffer.from(text).toString('base64'), report_id: id, summary}
}

function error(ctx: RequestContext, status: number, message: string): void {
  sendJson(ctx.res, status, {message, statusCode: status})
}

export function handleClientConfig(ctx: RequestContext): void {
  if (ctx.method !== 'GET') return error(ctx, 405, `method ${ctx.method} not allowed on ${ctx.path}`)
  sendJson(ctx.res, 200, CLIENT_CONFIG)
}

/** /backplane/cluster/{id}/reports[/{reportId}]; `rest` is what follows the cluster id. */
export function handleReports(ctx: RequestContext, state: SimState, clusterId: string, rest: string[]): void {
  if (!state.clusters.some((c) => c.id === clusterId)) return error(ctx, 404, `cluster ${clusterId} not found`)
  const all = reportsOf(state)
  if (rest.length === 1) {
    if (ctx.method === 'GET') {
      const raw = ctx.query.get('last')
      const last = raw === null ? 10 : Number(raw)
      if (!Number.isInteger(last) || last < 1) return error(ctx, 400, `invalid last "${raw}": expected a positive integer`)
      const reports = all
        .filter((r) => r.cluster_id === clusterId)
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .slice(0, last)
        .map(({created_at, report_id, summary}) => ({created_at, report_id, summary}))
      return sendJson(ctx.res, 200, {cluster_id: clusterId, reports})
    }

    if (ctx.method === 'POST') {
      let body: {data?: unknown; summary?: unknown}
      try {
        body = JSON.parse(ctx.body)
      } catch {
        return error(ctx, 400, 'request body is not JSON')
      }

      if (typeof body.summary !== 'string' || body.summary.trim() === '') return error(ctx, 400, 'summary is required')
      if (typeof body.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(body.data)) return error(ctx, 400, 'data must be base64')
      const report: SimReport = {
        cluster_id: clusterId,
        created_at: new Date().toISOString(),
        data: body.data,
        report_id: `r-${randomBytes(4).toString('hex')}`,
        summary: body.summary,
      }
      all.push(report)
      const {cluster_id: _, ...out} = report
      return sendJson(ctx.res, 201, out)
    }

    return error(ctx, 405, `method ${ctx.method} not allowed on ${ctx.path}`)
  }

  if (rest.length === 2 && ctx.method === 'GET') {
    const report = all.find((r) => r.cluster_id === clusterId && r.report_id === rest[1])
    if (!report) return error(ctx, 404, `report ${rest[1]} not found on cluster ${clusterId}`)
    const {cluster_id: _, ...out} = report
    return sendJson(ctx.res, 200, out)
  }

  error(ctx, 404, `${ctx.method} ${ctx.path} not found`)
}
