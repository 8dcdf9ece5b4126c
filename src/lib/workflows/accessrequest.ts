// `backplane accessrequest create | get | expire`: access requests for access-protected clusters (OCM access
// transparency), with the JIRA issue that tells the SRE when the customer decided (Go: pkg/accessrequest).
import type {Services} from '../services.js'

import {backplaneConfigPath} from '../backplane/config.js'
import {CliError, usageError} from '../errors.js'
import {readJsonObject} from '../fs/json-file.js'
import {parseIssueKey} from '../jira/client.js'
import {type AccessRequest, AccessTransparency, requestState} from '../ocm/access-transparency.js'
import {keyValueLines} from '../output/cluster-info.js'

/** Go's defaults for config `jira-config-for-access-requests` (pkg/cli/config). */
export const JIRA_ACCESS_REQUEST_DEFAULTS = {
  'default-issue-type': 'Story',
  'default-project': 'SDAINT',
  'prod-issue-type': 'Incident',
  'prod-project': 'OHSS',
  'project-to-transitions-names': {
    OHSS: {'on-approval': 'New', 'on-creation': 'Pending Customer', 'on-error': 'Cancelled'},
    SDAINT: {'on-approval': 'In Progress', 'on-creation': 'In Progress', 'on-error': 'Closed'},
  } as Record<string, unknown>,
}

export interface JiraAccessRequestConfig {
  defaultIssueType: string
  defaultProject: string
  prodIssueType: string
  prodProject: string
  /** Every project the config knows (the keys of project-to-transitions-names, plus the two above). */
  projects: string[]
}

/** `jira-config-for-access-requests` from the backplane config, each field falling back to Go's default. */
export async function jiraAccessRequestConfig(env: NodeJS.ProcessEnv): Promise<JiraAccessRequestConfig> {
  const path = backplaneConfigPath(env)
  const raw = ((await readJsonObject(path, 'backplane config', `fix ${path} (or set BACKPLANE_CONFIG to another file)`)) ?? {})['jira-config-for-access-requests']
  const given = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}
  const text = (key: keyof typeof JIRA_ACCESS_REQUEST_DEFAULTS): string => {
    const v = given[key]
    return typeof v === 'string' && /^[A-Za-z][\w -]{0,60}$/.test(v) ? v : (JIRA_ACCESS_REQUEST_DEFAULTS[key] as string)
  }

  const transitions = given['project-to-transitions-names']
  const known = transitions && typeof transitions === 'object' && !Array.isArray(transitions) ? Object.keys(transitions) : Object.keys(JIRA_ACCESS_REQUEST_DEFAULTS['project-to-transitions-names'])
  const cfg = {defaultIssueType: text('default-issue-type'), defaultProject: text('default-project'), prodIssueType: text('prod-issue-type'), prodProject: text('prod-project')}
  return {...cfg, projects: [...new Set([cfg.defaultProject, cfg.prodProject, ...known])]}
}

/** Is the OCM environment the production one (its name is config prod-env-name, default "production")? */
export async function isProductionOcm(services: Services): Promise<boolean> {
  const [env, {config}] = await Promise.all([services.ocm.get<{name?: unknown}>('/api/clusters_mgmt/v1/environment'), services.backplaneConfig()])
  return typeof env?.name === 'string' && env.name === (config['prod-env-name'] ?? 'production')
}

/** An access-protected cluster's API, or a clear error when the cluster is not protected. */
async function protectedApi(services: Services, clusterId: string): Promise<AccessTransparency> {
  const api = new AccessTransparency(services.ocm)
  if (!(await api.isProtected(clusterId))) {
    throw new CliError(`access protection is not enabled on cluster ${clusterId}`, {code: 'NOT_PROTECTED', hint: 'no access request is needed: log in with backplane login'})
  }

  return api
}

export async function getAccessRequest(services: Services, clusterId: string): Promise<AccessRequest | undefined> {
  return (await protectedApi(services, clusterId)).activeRequest(clusterId)
}

export interface CreateOptions {
  clusterId: string
  /** Go duration string, already checked (approvalDuration). */
  duration: string
  /** --notification-issue, already parsed (parseIssueKey); undefined: create one. */
  notificationIssue?: string
  reason: string
}

export interface CreateResult {
  /** False: the cluster already had a pending or approved request, which is returned instead. */
  created: boolean
  /** The JIRA issue created for notifications, when this call created one. */
  createdIssue?: string
  request: AccessRequest
}

export async function createAccessRequest(services: Services, o: CreateOptions): Promise<CreateResult> {
  const api = await protectedApi(services, o.clusterId)
  const existing = await api.activeRequest(o.clusterId)
  if (existing) return {created: false, request: existing}

  const [jiraConfig, prod] = await Promise.all([jiraAccessRequestConfig(services.ctx.env), isProductionOcm(services)])
  let issue = o.notificationIssue
  let createdIssue: string | undefined
  if (issue === undefined) {
    const project = prod ? jiraConfig.prodProject : jiraConfig.defaultProject
    const jira = await services.jira()
    try {
      issue = await jira.createIssue({
        description: 'Access request tracker',
        issueType: prod ? jiraConfig.prodIssueType : jiraConfig.defaultIssueType,
        project,
        summary: `Access request tracker for cluster '${o.clusterId}'`,
      })
    } catch (error) {
      const cause = error instanceof CliError ? error.message : String(error)
      throw new CliError(`could not create the JIRA notification issue in ${project} (${cause}); no access request was created`, {
        code: 'JIRA_FAILED',
        hint: 'create the issue yourself and pass it with --notification-issue',
      })
    }

    createdIssue = issue
  } else {
    checkIssueProject(issue, prod, jiraConfig)
  }

  const request = await api.create({clusterId: o.clusterId, duration: o.duration, justification: o.reason, notificationIssue: issue})
  return {created: true, createdIssue, request}
}

/** Go's rule: on production the issue belongs to the prod project; elsewhere to one of the other known projects. */
function checkIssueProject(key: string, prod: boolean, cfg: JiraAccessRequestConfig): void {
  const project = key.split('-')[0]
  if (prod && project !== cfg.prodProject) {
    throw usageError(`notification issue ${key} is not in the ${cfg.prodProject} project`, `on production, give a ${cfg.prodProject}-… issue (or none, to have one created)`)
  }

  const test = cfg.projects.filter((p) => p !== cfg.prodProject)
  if (!prod && !test.includes(project)) {
    throw usageError(`notification issue ${key} is not in a test project (${test.join(', ')})`, 'outside production, give an issue of one of those projects (or none, to have one created)')
  }
}

export async function expireAccessRequest(services: Services, clusterId: string): Promise<AccessRequest> {
  const api = await protectedApi(services, clusterId)
  const request = await api.activeRequest(clusterId)
  if (!request) throw new CliError(`cluster ${clusterId} has no pending or approved access request to expire`, {code: 'NOTHING_TO_EXPIRE', hint: 'see them all with backplane accessrequest get'})
  await api.expire(request.id, "proactively expired using 'backplane accessrequest expire'")
  return request
}

/** Is access protection enabled on the cluster? Undefined when OCM does not say (for --cluster-info). */
export async function accessProtection(services: Services, clusterId: string): Promise<boolean | undefined> {
  return new AccessTransparency(services.ocm).isProtected(clusterId).catch(() => undefined)
}

/**
 * Backplane answered a login with 403: when the cluster is access-protected, the error that says so and how to
 * get in (or the state of the request already made), instead of the raw 403. Undefined otherwise.
 */
export async function accessProtectionError(services: Services, cluster: {id: string; name: string}): Promise<CliError | undefined> {
  const api = new AccessTransparency(services.ocm)
  try {
    if (!(await api.isProtected(cluster.id))) return undefined
    const request = await api.activeRequest(cluster.id)
    const where = `access protection is enabled on ${cluster.name} (${cluster.id})`
    if (!request) return new CliError(where, {code: 'ACCESS_PROTECTED', hint: `request access with \`backplane accessrequest create -c ${cluster.id} -r <reason>\``})
    const state = requestState(request)
    if (state === 'Pending') {
      return new CliError(`${where}: access request ${request.id} is Pending`, {code: 'ACCESS_PENDING', hint: `wait for the customer to approve it (backplane accessrequest get -c ${cluster.id})`})
    }

    return undefined
  } catch {
    // Asking about the protection is a courtesy: if that fails, the 403 itself is the answer.
    return undefined
  }
}

/** The notification issue as given: a key or its /browse/ URL. */
export function notificationIssueArg(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseIssueKey(value, 'notification issue')
}

/** The request as a block of aligned lines (Go's PrintAccessRequest, in this CLI's key/value style). */
export function accessRequestLines(clusterId: string, r: AccessRequest, jiraBaseUrl: string): string {
  const state = requestState(r)
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : '-')
  const data: Record<string, string> = {Status: state}
  if (state === 'Approved') data['Approval expires at'] = text(r.status?.expires_at)
  if (state === 'Pending') {
    data['Expires at'] = text(r.deadline_at ?? r.deadlineAt)
    data['Requested approval duration'] = text(r.duration)
  }

  data['Notification issue'] = typeof r.internal_support_case_id === 'string' && r.internal_support_case_id !== '' ? `${jiraBaseUrl}/browse/${r.internal_support_case_id}` : '-'
  data['Created by'] = text(r.requested_by)
  data.Reason = text(r.justification)
  data['For more details, run'] = `ocm get ${typeof r.href === 'string' ? r.href : `/api/access_transparency/v1/access_requests/${r.id}`}`
  const block = keyValueLines(data)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')
  return `Access request ${r.id} for cluster ${clusterId}:\n${block}`
}
