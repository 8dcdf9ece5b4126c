// backplane-api test script runs (createTestScriptRun, getTestScriptRun, getTestScriptRunLogs): a script from a
// managed-scripts checkout, run on a non-production cluster without being merged first.
import type {Readable} from 'node:stream'

import type {BackplaneClient} from './client.js'

import {CliError} from '../errors.js'
import {describeHttpResponse} from '../http/errors.js'

export interface TestJobResult {
  message?: string
  status?: string
  testId: string
}

/** The spec's CreateTestJob body. */
export interface CreateTestJob {
  baseImageOverride?: string
  dryRun?: boolean
  parameters?: Record<string, string>
  scriptBody: string
  scriptMetadata: Record<string, unknown>
}

const TEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

export function validTestId(id: string): boolean {
  return TEST_ID.test(id)
}

function badBody(what: string): CliError {
  return new CliError(`backplane answered ${what} with an unexpected body`, {code: 'BAD_RESPONSE', hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)'})
}

function asResult(body: unknown, what: string): TestJobResult {
  const r = body as TestJobResult
  if (!r || typeof r !== 'object' || typeof r.testId !== 'string' || !validTestId(r.testId)) throw badBody(what)
  return r
}

export class TestScriptsApi {
  constructor(private readonly client: BackplaneClient, readonly clusterId: string) {}

  private url(...segments: string[]): string {
    return [`${this.client.baseUrl}/backplane/testscript`, this.clusterId, ...segments].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/')
  }

  private notFound(testId: string): CliError {
    return new CliError(`no test job "${testId}" on cluster ${this.clusterId}`, {code: 'NOT_FOUND', hint: "give the TestId 'backplane testjob create' printed"})
  }

  private async call<T>(testId: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (testId && error instanceof CliError && error.code === 'HTTP_404') throw this.notFound(testId)
      throw error
    }
  }

  async create(body: CreateTestJob): Promise<TestJobResult> {
    return asResult(await this.client.http.postJson<unknown>(this.url(), {headers: await this.client.auth(), json: body}), 'the new test job')
  }

  async get(testId: string): Promise<TestJobResult> {
    return asResult(await this.call(testId, async () => this.client.http.getJson<unknown>(this.url(testId), {headers: await this.client.auth()})), `test job ${testId}`)
  }

  /** GET …/{testId}/logs?version=v2&follow=<bool>: the body as a stream (or an older backplane's JSON form). */
  async openLogs(testId: string, opts: {follow: boolean; signal?: AbortSignal}): Promise<{kind: 'json'; logs: string} | {kind: 'stream'; stream: Readable}> {
    const {response, stream} = await this.client.http.openStream(this.url(testId, 'logs'), {
      headers: {...(await this.client.auth()), accept: 'application/octet-stream, application/json'},
      idle: !opts.follow,
      searchParams: {follow: String(opts.follow), version: 'v2'},
      signal: opts.signal,
    })
    const contentType = String(response.headers['content-type'] ?? '')
    if (response.statusCode < 300 && !/json/i.test(contentType)) return {kind: 'stream', stream}
    const failed = response.statusCode >= 300
    const text = (await this.client.http.readAll(stream, {method: 'GET', url: this.url(testId, 'logs')}, failed ? {max: 64 * 1024, truncate: true} : {})).toString('utf8')
    if (response.statusCode === 404) throw this.notFound(testId)
    if (failed) throw describeHttpResponse('backplane', response.statusCode, response.statusMessage, text, response.headers)
    try {
      const parsed = JSON.parse(text) as {logs?: unknown}
      return {kind: 'json', logs: typeof parsed?.logs === 'string' ? parsed.logs : ''}
    } catch {
      throw badBody(`the logs of test job ${testId}`)
    }
  }
}
