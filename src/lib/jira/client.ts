// JIRA Cloud REST API v2 with basic auth (email:API token): read an issue, create one.
import type {HttpClient} from '../http/client.js'

import {CliError, usageError} from '../errors.js'
import {excerptOf} from '../http/errors.js'
import {urlPath} from '../ids.js'

export const JIRA_BASE_URL = 'https://redhat.atlassian.net'
const ISSUE_KEY = /^[A-Z][A-Z0-9_]{0,49}-\d{1,12}$/

export interface JiraIssue {
  fields?: Record<string, unknown> & {project?: {key?: unknown}; summary?: unknown}
  id?: string
  key?: string
  self?: string
}

export interface NewJiraIssue {
  description: string
  issueType: string
  project: string
  summary: string
}

/** `OHSS-123`, `ohss-123` or `<base>/browse/OHSS-123` → `OHSS-123`; anything else is a usage error. */
export function parseIssueKey(input: string, what = 'JIRA issue'): string {
  const text = input.trim()
  const fromUrl = /^https?:\/\/[^/\s]+(?:\/[^\s]*)?\/browse\/([^/?#\s]+)\/?$/.exec(text)
  const key = (fromUrl ? fromUrl[1] : text).toUpperCase()
  if (!ISSUE_KEY.test(key)) throw usageError(`invalid ${what} "${input}"`, 'give an issue key such as OHSS-1234 (or its /browse/ URL)')
  return key
}

export class JiraClient {
  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
    private readonly email: string,
    private readonly token: string,
  ) {}

  /** The page of an issue, as people open it. */
  browseUrl(key: string): string {
    return `${this.baseUrl}/browse/${key}`
  }

  /** `GET /rest/api/2/issue/{key}?fields=…`. One clear line for 401, 403 and 404. */
  async issue(key: string, fields: string[]): Promise<JiraIssue> {
    const r = await this.http.json<JiraIssue>('GET', urlPath(`${this.baseUrl}/rest/api/2/issue`, key), {
      headers: this.headers(),
      searchParams: {fields: fields.join(',')},
      throwHttpErrors: false,
    })
    if (r.statusCode !== 200) throw jiraError(r.statusCode, r.body, `issue ${key}`)
    if (!r.body || typeof r.body !== 'object' || typeof r.body.fields !== 'object' || r.body.fields === null) {
      throw new CliError(`JIRA answered issue ${key} with an unexpected body`, {hint: 'check jira-base-url in the backplane config'})
    }

    return r.body
  }

  /** `POST /rest/api/2/issue`: the new issue's key. */
  async createIssue(issue: NewJiraIssue): Promise<string> {
    const r = await this.http.json<JiraIssue>('POST', `${this.baseUrl}/rest/api/2/issue`, {
      headers: this.headers(),
      json: {fields: {description: issue.description, issuetype: {name: issue.issueType}, project: {key: issue.project}, summary: issue.summary}},
      throwHttpErrors: false,
    })
    if (r.statusCode !== 200 && r.statusCode !== 201) throw jiraError(r.statusCode, r.body, `a new issue in ${issue.project}`)
    const key = r.body?.key
    if (typeof key !== 'string' || !ISSUE_KEY.test(key)) throw new CliError('JIRA created an issue but answered without its key', {hint: `look for it in ${this.baseUrl}/browse/${issue.project}`})
    return key
  }

  private headers(): Record<string, string> {
    return {accept: 'application/json', authorization: `Basic ${Buffer.from(`${this.email}:${this.token}`).toString('base64')}`}
  }
}

function jiraError(status: number, body: unknown, what: string): CliError {
  const hint = 'check jira-email and jira-token (or JIRA_EMAIL and JIRA_API_TOKEN)'
  if (status === 401) return new CliError('JIRA rejected the credentials (401 Unauthorized)', {code: 'HTTP_401', hint})
  if (status === 403) return new CliError(`JIRA refused access to ${what} (403 Forbidden)`, {code: 'HTTP_403', hint: 'use an account that may see it'})
  if (status === 404) return new CliError(`JIRA has no ${what}, or you may not see it (404)`, {code: 'HTTP_404', hint: 'check the issue key'})
  const b = body as {errorMessages?: unknown; errors?: unknown}
  const messages = [...(Array.isArray(b?.errorMessages) ? b.errorMessages : []), ...(b?.errors && typeof b.errors === 'object' ? Object.values(b.errors) : [])].filter((m) => typeof m === 'string')
  const detail = messages.length > 0 ? `: ${excerptOf(messages.join('; '), 160)}` : typeof body === 'string' && body.trim() ? ` ("${excerptOf(body, 60)}")` : ''
  return new CliError(`JIRA answered ${status} for ${what}${detail}`, {code: `HTTP_${status}`, hint: status >= 500 ? 'JIRA is failing: retry later' : 'check jira-base-url and the issue'})
}
