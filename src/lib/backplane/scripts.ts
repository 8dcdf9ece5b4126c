// Managed scripts and managed jobs: the /backplane/script/{clusterId}… endpoints of backplane-api.
import type {Readable} from 'node:stream'

import type {BackplaneClient} from './client.js'

import {CliError} from '../errors.js'
import {describeHttpResponse} from '../http/errors.js'
import {checkJobIdFromServer, urlPath} from '../ids.js'

/** EnvDecl: a parameter a script declares (passed to it as an environment variable). */
export interface EnvDecl {
  description?: string
  key?: string
  optional?: boolean
}

/** Script (backplane-api). Every field may be missing: display code shows `-`. */
export interface Script {
  allowedGroups?: string[]
  author?: string
  canonicalName?: string
  customerDataAccess?: boolean
  description?: string
  envs?: EnvDecl[]
  labels?: unknown[]
  language?: string
  path?: string
  permalink?: string
  rbac?: unknown
  shortDescription?: string
}

/** JobStatus (backplane-api). */
export interface JobStatus {
  end?: null | string
  envs?: Array<{key?: string; value?: string}>
  namespace?: string
  script?: Script
  start?: string
  status?: string
}

/** Job (backplane-api): one run of a managed script. */
export interface Job {
  jobId: string
  jobStatus?: JobStatus
  message?: string
  userMD5?: string
}

export interface CreatedJob {
  job: Job
  /** `Backplane-Warning` response headers, if any. */
  warnings: string[]
}

/** The server's answer to the log request: a byte stream (version=v2) or, from an older backplane, the JSON form. */
export type LogSource = {kind: 'json'; logs: string} | {kind: 'stream'; stream: Readable}

const LIST_HINT = "list them with 'backplane script list'"

/** The script and job calls for one cluster. */
export class ScriptsApi {
  constructor(
    private readonly client: BackplaneClient,
    readonly clusterId: string,
  ) {}

  private url(...segments: string[]): string {
    return urlPath(`${this.client.baseUrl}/backplane/script`, this.clusterId, ...segments)
  }

  /** GET /backplane/script/{clusterId} (or …/all: every script, whoever may run it). */
  async listScripts(opts: {all?: boolean} = {}): Promise<Script[]> {
    const body = await this.client.http.getJson<unknown>(opts.all ? this.url('all') : this.url(), {headers: await this.client.auth()})
    return asScriptList(body, 'the script list')
  }

  /** GET /backplane/script/{clusterId}?scriptname=<name>: the one script, or a clear not-found error. */
  async getScript(name: string): Promise<Script> {
    const notFound = (apiBody?: unknown) => new CliError(`no script "${name}" on cluster ${this.clusterId}`, {apiBody, code: 'NOT_FOUND', hint: LIST_HINT})
    let body: unknown
    try {
      body = await this.client.http.getJson<unknown>(this.url(), {headers: await this.client.auth(), searchParams: {scriptname: name}})
    } catch (error) {
      if (error instanceof CliError && error.code === 'HTTP_404') throw notFound(error.apiBody)
      throw error
    }

    const list = asScriptList(body, `script "${name}"`)
    const script = list.find((s) => s.canonicalName === name) ?? (list.length === 1 ? list[0] : undefined)
    if (!script) throw notFound()
    return script
  }

  /** POST /backplane/script/{clusterId}/job. */
  async createJob(canonicalName: string, parameters: Record<string, string>): Promise<CreatedJob> {
    const result = await this.client.http.json<unknown>('POST', this.url('job'), {headers: await this.client.auth(), json: {canonicalName, parameters}})
    const job = asJob(result.body, 'the new job')
    const header = result.headers['backplane-warning']
    const warnings = (Array.isArray(header) ? header : header === undefined ? [] : [header]).map((w) => w.trim()).filter(Boolean)
    return {job, warnings}
  }

  /** GET /backplane/script/{clusterId}/job. */
  async listJobs(): Promise<Job[]> {
    const body = await this.client.http.getJson<unknown>(this.url('job'), {headers: await this.client.auth()})
    if (body === undefined || body === null) return []
    if (!Array.isArray(body)) throw badBody('the job list', 'not a list')
    return body.map((item, i) => asJob(item, `the job list (item ${i + 1})`))
  }

  /** GET /backplane/script/{clusterId}/job/{jobId}. */
  async getJob(jobId: string): Promise<Job> {
    const body = await this.jobCall(jobId, async () => this.client.http.getJson<unknown>(this.url('job', jobId), {headers: await this.client.auth()}))
    return asJob(body, `job ${jobId}`)
  }

  /** DELETE /backplane/script/{clusterId}/job/{jobId}: stops the run and removes the job and its logs. */
  async deleteJob(jobId: string): Promise<void> {
    await this.jobCall(jobId, async () => this.client.http.json('DELETE', this.url('job', jobId), {headers: await this.client.auth()}))
  }

  /** GET …/job/{jobId}/logs without version: the JSON form, `{logs}`. */
  async logsJson(jobId: string): Promise<{logs: string}> {
    const body = await this.jobCall(jobId, async () => this.client.http.getJson<{logs?: unknown}>(this.url('job', jobId, 'logs'), {headers: await this.client.auth()}))
    if (!body || typeof body !== 'object' || (body.logs !== undefined && typeof body.logs !== 'string')) throw badBody(`the logs of job ${jobId}`, 'no logs field')
    return {logs: (body.logs as string | undefined) ?? ''}
  }

  /**
   * GET …/job/{jobId}/logs?version=v2&follow=<bool>: resolves once the server answered 2xx, with the body
   * as a stream (nothing buffered beyond the stream's own window). Errors before the body become one line.
   */
  async openLogs(jobId: string, opts: {follow: boolean; signal?: AbortSignal}): Promise<LogSource> {
    const {response, stream} = await this.client.http.openStream(this.url('job', jobId, 'logs'), {
      headers: {...(await this.client.auth()), accept: 'application/octet-stream, application/json'},
      // Without follow the server must keep sending: a stall after the headers is a TIMEOUT, not a hang.
      idle: !opts.follow,
      searchParams: {follow: String(opts.follow), version: 'v2'},
      signal: opts.signal,
    })
    const contentType = String(response.headers['content-type'] ?? '')
    if (response.statusCode >= 300 || /json/i.test(contentType)) {
      // Buffered: an error body is cut at 64 KiB, the JSON form capped (maxBodyBytes), both within the deadline.
      const failed = response.statusCode >= 300
      const what = {method: 'GET', url: this.url('job', jobId, 'logs')}
      const text = (await this.client.http.readAll(stream, what, failed ? {max: 64 * 1024, truncate: true} : {})).toString('utf8')
      if (failed) {
        const error = describeHttpResponse('backplane', response.statusCode, response.statusMessage, text, response.headers)
        throw response.statusCode === 404 ? jobNotFound(jobId, this.clusterId, error.apiBody) : error
      }

      let parsed: {logs?: unknown}
      try {
        parsed = JSON.parse(text)
      } catch {
        throw badBody(`the logs of job ${jobId}`, 'not JSON')
      }

      return {kind: 'json', logs: typeof parsed?.logs === 'string' ? parsed.logs : ''}
    }

    return {kind: 'stream', stream}
  }

  private async jobCall<T>(jobId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (error instanceof CliError && error.code === 'HTTP_404') throw jobNotFound(jobId, this.clusterId, error.apiBody)
      throw error
    }
  }
}

function jobNotFound(jobId: string, clusterId: string, apiBody?: unknown): CliError {
  return new CliError(`no job "${jobId}" on cluster ${clusterId}`, {apiBody, code: 'NOT_FOUND', hint: "list the jobs with 'backplane managedjob list'"})
}

function badBody(what: string, why: string): CliError {
  return new CliError(`backplane answered ${what} with an unexpected body (${why})`, {code: 'BAD_RESPONSE', hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)'})
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function asScriptList(body: unknown, what: string): Script[] {
  if (body === undefined || body === null) return []
  if (!Array.isArray(body)) throw badBody(what, 'not a list')
  return body.map((item, i) => {
    if (!isObject(item)) throw badBody(what, `item ${i + 1} is not an object`)
    return item as Script
  })
}

/** A job must at least be an object with a jobId; every other field is optional for display. */
export function asJob(body: unknown, what: string): Job {
  if (!isObject(body)) throw badBody(what, 'not an object')
  if (typeof body.jobId !== 'string' || body.jobId.trim() === '') throw badBody(what, 'no jobId')
  checkJobIdFromServer(body.jobId, what)
  if (body.jobStatus !== undefined && body.jobStatus !== null && !isObject(body.jobStatus)) throw badBody(what, 'jobStatus is not an object')
  return body as unknown as Job
}

/** The status of a job, `Unknown` when the server left it out. */
export function jobStatusOf(job: Job): string {
  const status = job.jobStatus?.status
  return typeof status === 'string' && status !== '' ? status : 'Unknown'
}
