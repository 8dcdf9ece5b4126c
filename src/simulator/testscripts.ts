// backplane-api's test script runs: POST /backplane/testscript/{clusterId} (a script body and its metadata), then
// GET …/{testId} (Pending, Running for a moment, then Succeeded) and …/{testId}/logs (JSON, or v2 plain text).
import {randomBytes} from 'node:crypto'

import {backplaneError} from './backplane.js'
import {type RequestContext, type SimState, sendJson} from './http.js'

interface SimTestJob {
  clusterId: string
  created: number
  logs: string
  testId: string
}

const jobs = new WeakMap<SimState, Map<string, SimTestJob>>()
const jobsOf = (state: SimState) => {
  let map = jobs.get(state)
  if (!map) jobs.set(state, (map = new Map()))
  return map
}

function statusOf(job: SimTestJob): string {
  const age = Date.now() - job.created
  return age < 300 ? 'Pending' : age < 900 ? 'Running' : 'Succeeded'
}

export function handleTestScripts(ctx: RequestContext, state: SimState, segments: string[]): void {
  const [, , clusterId, testId, tail] = segments
  const cluster = state.clusters.find((c) => c.id === clusterId)
  if (!cluster) {
    backplaneError(ctx, 404, `cluster ${clusterId ?? ''} not found`)
    return
  }

  if (testId === undefined) {
    if (ctx.method !== 'POST') {
      backplaneError(ctx, 405, `method ${ctx.method} not allowed on ${ctx.path}`)
      return
    }

    let body: {parameters?: Record<string, string>; scriptBody?: unknown; scriptMetadata?: {file?: unknown; name?: unknown}}
    try {
      body = JSON.parse(ctx.body)
    } catch {
      backplaneError(ctx, 400, 'the body is not JSON')
      return
    }

    if (typeof body?.scriptBody !== 'string' || typeof body.scriptMetadata?.name !== 'string' || typeof body.scriptMetadata.file !== 'string') {
      backplaneError(ctx, 400, 'scriptBody and scriptMetadata (file, name) are required')
      return
    }

    const script = Buffer.from(body.scriptBody, 'base64').toString('utf8')
    const params = Object.entries(body.parameters ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')
    const job: SimTestJob = {
      clusterId: cluster.id,
      created: Date.now(),
      logs: `running ${body.scriptMetadata.name} (${script.split('\n').length} lines)${params ? ` with ${params}` : ''}\ndone\n`,
      testId: `test-${randomBytes(4).toString('hex')}`,
    }
    jobsOf(state).set(job.testId, job)
    sendJson(ctx.res, 200, {message: `test job for ${body.scriptMetadata.name} created on ${cluster.name}`, status: 'Pending', testId: job.testId})
    return
  }

  const job = jobsOf(state).get(testId)
  if (!job || job.clusterId !== cluster.id) {
    backplaneError(ctx, 404, `test job ${testId} not found`)
    return
  }

  if (tail === undefined) {
    sendJson(ctx.res, 200, {status: statusOf(job), testId: job.testId})
    return
  }

  if (tail === 'logs') {
    if (ctx.query.get('version') === 'v2') {
      ctx.res.writeHead(200, {'Content-Type': 'application/octet-stream'})
      ctx.res.end(job.logs)
    } else {
      sendJson(ctx.res, 200, {logs: job.logs})
    }

    return
  }

  backplaneError(ctx, 404, `${ctx.method} ${ctx.path} not found`)
}
