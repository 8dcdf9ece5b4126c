// The JIRA role: JIRA Cloud REST API v2's issue get and create under /jira (the CLI's jira-base-url is
// <simulator>/jira). Basic auth with SIM_JIRA_EMAIL:SIM_JIRA_TOKEN; errors are JIRA's {errorMessages, errors}.
import {SEED} from './data.js'
import {type RequestContext, type SimState, pathSegments, sendJson} from './http.js'

export const JIRA_PREFIX = '/jira'
export const SIM_JIRA_EMAIL = 'sre-demo@example.com'
export const SIM_JIRA_TOKEN = 'sim-jira-token-0123456789'
const CLUSTER_FIELD = 'customfield_10852'

export interface SimIssue {
  key: string
  fields: Record<string, unknown> & {project: {key: string}; summary: string}
}

/** Issue keys of the seed. */
export const JIRA_ISSUES = {
  /** An OHSS ticket about demo-cluster (its internal id). */
  demo: 'OHSS-1001',
  /** An OHSS ticket about gcp-cluster, by its external id. */
  gcp: 'OHSS-1002',
  /** An OHSS ticket that names no cluster. */
  noCluster: 'OHSS-1003',
  /** A ticket of another project (with a cluster id). */
  otherProject: 'SDAINT-42',
} as const

export interface JiraControl {
  issues: Map<string, SimIssue>
  /** Issues created through the API, in order. */
  created: SimIssue[]
}

const stores = new WeakMap<SimState, JiraControl>()

export function jiraOf(state: SimState): JiraControl {
  let control = stores.get(state)
  if (!control) {
    const issue = (key: string, summary: string, clusterId: string | null): SimIssue => ({fields: {[CLUSTER_FIELD]: clusterId, project: {key: key.split('-')[0]!}, summary}, key})
    control = {
      created: [],
      issues: new Map(
        [
          issue(JIRA_ISSUES.demo, 'demo-cluster: console unreachable', SEED.demo.id),
          issue(JIRA_ISSUES.gcp, 'gcp-cluster: upgrade stuck', SEED.gcp.externalId),
          issue(JIRA_ISSUES.noCluster, 'question about quotas', null),
          issue(JIRA_ISSUES.otherProject, 'integration test ticket', SEED.demo.id),
        ].map((i) => [i.key, i]),
      ),
    }
    stores.set(state, control)
  }

  return control
}

function jiraError(ctx: RequestContext, status: number, messages: string[], errors: Record<string, string> = {}): void {
  sendJson(ctx.res, status, {errorMessages: messages, errors})
}

export function handleJira(ctx: RequestContext, state: SimState): void {
  const expected = `Basic ${Buffer.from(`${SIM_JIRA_EMAIL}:${SIM_JIRA_TOKEN}`).toString('base64')}`
  if (ctx.req.headers.authorization !== expected) {
    jiraError(ctx, 401, ['You are not authenticated. Authentication required to perform this operation.'])
    return
  }

  const control = jiraOf(state)
  const segments = pathSegments(ctx.path).slice(1)
  const isIssueApi = segments.length >= 4 && segments[0] === 'rest' && segments[1] === 'api' && segments[2] === '2' && segments[3] === 'issue'
  if (isIssueApi && segments.length === 4 && ctx.method === 'POST') {
    createIssue(ctx, state, control)
    return
  }

  if (isIssueApi && segments.length === 5 && ctx.method === 'GET') {
    const issue = control.issues.get(segments[4]!)
    if (!issue) {
      jiraError(ctx, 404, ['Issue does not exist or you do not have permission to see it.'])
      return
    }

    const wanted = ctx.query.get('fields')
    const fields = wanted ? Object.fromEntries(wanted.split(',').filter((f) => f in issue.fields).map((f) => [f, issue.fields[f]])) : issue.fields
    sendJson(ctx.res, 200, {fields, id: String(10_000 + [...control.issues.keys()].indexOf(issue.key)), key: issue.key, self: `${state.url}${JIRA_PREFIX}/rest/api/2/issue/${issue.key}`})
    return
  }

  jiraError(ctx, 404, [`${ctx.method} ${ctx.path} is not implemented by the JIRA simulator`])
}

function createIssue(ctx: RequestContext, state: SimState, control: JiraControl): void {
  let body: {fields?: {description?: unknown; issuetype?: {name?: unknown}; project?: {key?: unknown}; summary?: unknown}}
  try {
    body = JSON.parse(ctx.body)
  } catch {
    jiraError(ctx, 400, ['the request body is not JSON'])
    return
  }

  const f = body?.fields ?? {}
  const project = f.project?.key
  const errors: Record<string, string> = {}
  if (typeof project !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(project)) errors.project = 'project is required'
  if (typeof f.summary !== 'string' || f.summary.trim() === '') errors.summary = 'You must specify a summary of the issue.'
  if (typeof f.issuetype?.name !== 'string') errors.issuetype = 'issue type is required'
  if (Object.keys(errors).length > 0) {
    jiraError(ctx, 400, [], errors)
    return
  }

  const n = 2000 + control.created.length + 1
  const key = `${project}-${n}`
  const issue: SimIssue = {fields: {description: f.description, issuetype: {name: f.issuetype!.name}, project: {key: project as string}, summary: f.summary as string}, key}
  control.issues.set(key, issue)
  control.created.push(issue)
  sendJson(ctx.res, 201, {id: String(n), key, self: `${state.url}${JIRA_PREFIX}/rest/api/2/issue/${n}`})
}
