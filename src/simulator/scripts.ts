// The backplane role's managed scripts and managed jobs (backplane-api /backplane/script/{clusterId}…):
//   GET    /backplane/script/{clusterId}[?scriptname=]     the scripts the user may run (404: no such script)
//   GET    /backplane/script/{clusterId}/all               every script
//   POST   /backplane/script/{clusterId}/job               create a job {canonicalName, parameters}
//   GET    /backplane/script/{clusterId}/job               the cluster's jobs
//   GET    /backplane/script/{clusterId}/job/{jobId}       one job
//   DELETE /backplane/script/{clusterId}/job/{jobId}       delete it (and its logs)
//   GET    /backplane/script/{clusterId}/job/{jobId}/logs  {logs} JSON; with version=v2 a chunked
//                                                          application/octet-stream, held open while follow=true and the job runs
// A job is Pending for pendingMs, Running for runningMs (its log lines appear evenly over that time),
// then Succeeded (Failed when the selftest script is given FAIL=true). sre/selftest's SIZE_MB makes logs large.
import {createHash, randomBytes} from 'node:crypto'
import type {ServerResponse} from 'node:http'

import type {TokenClaims} from './tokens.js'

import {type RequestContext, type SimState, sendJson} from './http.js'

export interface ScriptSimOptions {
  /** How long a new job stays Pending. Default 1500 ms. */
  pendingMs?: number
  /** How long it then runs (its log lines appear over that time). Default 4000 ms. */
  runningMs?: number
}

interface EnvDecl {
  description: string
  key: string
  optional: boolean
}

/** A script as the simulator keeps it: the API's fields, plus who may run it and what its runs print. */
export interface SimScript {
  allowedGroups: string[]
  author: string
  canonicalName: string
  customerDataAccess: boolean
  description: string
  envs: EnvDecl[]
  labels: string[]
  language: 'bash' | 'python'
  path: string
  permalink: string
  shortDescription: string
  /** Listed by GET /backplane/script/{id} (the user's scripts); false: only by …/all, and runs are 403. */
  userMayRun: boolean
  /** The log a run prints, and whether the run fails. Throws Error(message) for a bad parameter value (400). */
  run: (params: Record<string, string>) => RunSpec
}

export interface RunSpec {
  /** Lines [from, from + count) with their newlines, as bytes: a fast path for large logs (optional). */
  block?: (from: number, count: number) => Buffer
  fail: boolean
  line: (index: number) => string
  lines: number
}

export interface SimJob {
  canonicalName: string
  clusterId: string
  createdAt: number
  jobId: string
  params: Record<string, string>
  pendingMs: number
  runningMs: number
  spec: RunSpec
  username: string
}

/** Test hooks of the script simulation (`sim.scripts`). */
export interface ScriptsControl {
  /** Change the timings of jobs created from now on. */
  configure(opts: ScriptSimOptions): void
  /** Cut every v2 log stream (destroy the connection) after this many bytes; undefined: never. */
  cutLogStreamsAfterBytes?: number
  /** The live jobs, newest last; tests may read or change them. */
  readonly jobs: SimJob[]
  /** The live scripts; tests may add or change them. */
  readonly scripts: SimScript[]
}

interface ScriptsState extends ScriptsControl {
  options: Required<ScriptSimOptions>
}

export const JOB_NAMESPACE = 'openshift-backplane-managed-scripts'
const REPO = 'https://github.com/openshift/managed-scripts/blob/main/scripts'
const LINE_BYTES = 100
const MAX_JSON_LOG_BYTES = 64 * 1024 * 1024
const MAX_SIZE_MB = 4096

function fixedLog(lines: string[], fail = false): RunSpec {
  return {fail, line: (i) => lines[i] ?? '', lines: lines.length}
}

function nonNegative(params: Record<string, string>, key: string, fallback: number, max: number): number {
  const raw = params[key]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`parameter ${key} must be a number between 0 and ${max}, got "${raw}"`)
  return n
}

const FILLER = ' lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt'

/** Log line `i` of a selftest run: exactly LINE_BYTES bytes with its newline, numbered from 1. */
export function selftestLine(i: number): string {
  const head = `selftest line ${String(i + 1).padStart(9, '0')}:`
  return (head + FILLER).slice(0, LINE_BYTES - 1)
}

const BLOCK_LINES = 655
let template: Buffer | undefined

/**
 * Selftest lines [from, from + count) as bytes, fast: a cached block of lines whose 9-digit numbers are
 * patched in place (200 MiB in a fraction of a second, so that the simulator is not what a bench measures).
 */
export function selftestBlock(from: number, count: number): Buffer {
  template ??= Buffer.from(Array.from({length: BLOCK_LINES}, (_, i) => `${selftestLine(i)}\n`).join(''))
  const out = Buffer.allocUnsafe(count * LINE_BYTES)
  for (let done = 0; done < count; done += BLOCK_LINES) template.copy(out, done * LINE_BYTES, 0, Math.min(BLOCK_LINES, count - done) * LINE_BYTES)
  const digitsAt = 'selftest line '.length
  for (let k = 0; k < count; k++) {
    let n = from + k + 1
    const end = k * LINE_BYTES + digitsAt + 9
    for (let d = 1; d <= 9; d++) {
      out[end - d] = 48 + (n % 10)
      n = Math.floor(n / 10)
    }
  }

  return out
}

/** The seed scripts: required, optional and no parameters; one with a multi-line description. */
export function seedScripts(): SimScript[] {
  const common = {customerDataAccess: false, labels: [], userMayRun: true}
  return [
    {
      ...common,
      allowedGroups: ['sre', 'cee'],
      author: 'jdoe',
      canonicalName: 'sre/cluster-health',
      description:
        'Summarise the health of the cluster.\n' +
        'Checks that every node is Ready, that no cluster operator is degraded,\n' +
        'and lists pods that are crash-looping or pending for more than 10 minutes.',
      envs: [],
      language: 'python',
      path: 'scripts/sre/cluster-health/script.py',
      permalink: `${REPO}/sre/cluster-health/script.py`,
      run: () =>
        fixedLog([
          'checking nodes…',
          'node ip-10-0-1-17.ec2.internal Ready',
          'node ip-10-0-2-31.ec2.internal Ready',
          'node ip-10-0-3-44.ec2.internal Ready',
          'checking cluster operators…',
          'all 33 cluster operators Available, none Degraded',
          'checking pods…',
          'no crash-looping or long-pending pods',
          'cluster health: OK',
        ]),
      shortDescription: 'Summarise node, cluster operator and pod health',
    },
    {
      ...common,
      allowedGroups: ['sre'],
      author: 'asmith',
      canonicalName: 'sre/restart-pods',
      description: 'Delete the pods of a namespace (optionally only those matching a label selector) so that their controllers recreate them.',
      envs: [
        {description: 'namespace of the pods to restart', key: 'NAMESPACE', optional: false},
        {description: 'only restart the pods matching this label selector', key: 'LABEL_SELECTOR', optional: true},
        {description: 'when "true", only list the pods that would be restarted', key: 'DRY_RUN', optional: true},
      ],
      language: 'bash',
      path: 'scripts/sre/restart-pods/script.sh',
      permalink: `${REPO}/sre/restart-pods/script.sh`,
      run(params) {
        const dry = params.DRY_RUN === 'true'
        const selector = params.LABEL_SELECTOR ? ` -l ${params.LABEL_SELECTOR}` : ''
        const pods = ['web-7d9f8c6b5-2xkqz', 'web-7d9f8c6b5-9mvtn', 'worker-5c4b7f9d8-lq2rw']
        return fixedLog([
          `+ oc get pods -n ${params.NAMESPACE}${selector}`,
          ...pods.map((p) => (dry ? `would delete pod/${p}` : `pod "${p}" deleted`)),
          dry ? 'dry run: nothing deleted' : `restarted ${pods.length} pods in ${params.NAMESPACE}`,
        ])
      },
      shortDescription: 'Restart the pods of a namespace',
    },
    {
      ...common,
      allowedGroups: ['sre'],
      author: 'mlopez',
      canonicalName: 'sre/collect-namespace-logs',
      customerDataAccess: true,
      description: 'Collect the current logs of every container of a namespace into the job log.',
      envs: [
        {description: 'namespace to collect the logs of', key: 'NAMESPACE', optional: false},
        {description: 'only logs newer than this duration (e.g. 1h)', key: 'SINCE', optional: true},
      ],
      language: 'bash',
      path: 'scripts/sre/collect-namespace-logs/script.sh',
      permalink: `${REPO}/sre/collect-namespace-logs/script.sh`,
      run: (params) =>
        fixedLog([
          `collecting logs of namespace ${params.NAMESPACE}${params.SINCE ? ` since ${params.SINCE}` : ''}`,
          '--- pod/web-7d9f8c6b5-2xkqz container/web',
          'GET /healthz 200',
          '--- pod/worker-5c4b7f9d8-lq2rw container/worker',
          'processed 1204 messages',
          'done',
        ]),
      shortDescription: 'Collect the container logs of a namespace',
    },
    {
      ...common,
      allowedGroups: ['sre', 'cee'],
      author: 'backplane-team',
      canonicalName: 'sre/selftest',
      description:
        'Exercise the managed-job runner.\nPrints LINES numbered log lines (or SIZE_MB MiB of them), then succeeds, or fails when FAIL is "true".',
      envs: [
        {description: 'how many log lines to print (default 20)', key: 'LINES', optional: true},
        {description: 'print this many MiB of log instead (100-byte lines)', key: 'SIZE_MB', optional: true},
        {description: 'when "true", the job ends Failed', key: 'FAIL', optional: true},
      ],
      language: 'bash',
      path: 'scripts/sre/selftest/script.sh',
      permalink: `${REPO}/sre/selftest/script.sh`,
      run(params) {
        const fail = params.FAIL === 'true'
        const size = nonNegative(params, 'SIZE_MB', 0, MAX_SIZE_MB)
        const lines = size > 0 ? Math.ceil((size * 1024 * 1024) / LINE_BYTES) : Math.floor(nonNegative(params, 'LINES', 20, 10_000_000))
        const total = lines + (fail ? 1 : 0)
        const line = (i: number) => (fail && i === total - 1 ? 'selftest: failing as asked (FAIL=true)' : selftestLine(i))
        const block = (from: number, count: number) =>
          fail && from + count === total ? Buffer.concat([selftestBlock(from, count - 1), Buffer.from(`${line(total - 1)}\n`)]) : selftestBlock(from, count)
        return {block, fail, line, lines: total}
      },
      shortDescription: 'Print a log of a given size; fail on request',
    },
    {
      ...common,
      allowedGroups: ['sre-admins'],
      author: 'kchan',
      canonicalName: 'sre-admin/drain-node',
      description: 'Cordon and drain a node, evicting its pods.',
      envs: [{description: 'name of the node', key: 'NODE', optional: false}],
      language: 'bash',
      path: 'scripts/sre-admin/drain-node/script.sh',
      permalink: `${REPO}/sre-admin/drain-node/script.sh`,
      run: (params) => fixedLog([`node/${params.NODE} cordoned`, `node/${params.NODE} drained`]),
      shortDescription: 'Cordon and drain a node',
      userMayRun: false,
    },
  ]
}

const states = new WeakMap<SimState, ScriptsState>()

function stateOf(sim: SimState): ScriptsState {
  let state = states.get(sim)
  if (!state) {
    const options = {pendingMs: 1500, runningMs: 4000}
    state = {
      configure(opts) {
        Object.assign(options, Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)))
      },
      cutLogStreamsAfterBytes: undefined,
      jobs: [],
      options,
      scripts: seedScripts(),
    }
    states.set(sim, state)
  }

  return state
}

/** The script simulation of one simulator (created on first use), configured with `opts`. */
export function scriptsControl(sim: SimState, opts: ScriptSimOptions = {}): ScriptsControl {
  const state = stateOf(sim)
  state.configure(opts)
  return state
}

function error(ctx: RequestContext, status: number, message: string): void {
  sendJson(ctx.res, status, {statusCode: status, message})
}

function apiScript(s: SimScript): Record<string, unknown> {
  const {run: _run, userMayRun: _may, ...rest} = s
  return rest
}

type Phase = 'Failed' | 'Pending' | 'Running' | 'Succeeded'

function phaseOf(job: SimJob, now: number): Phase {
  const t = now - job.createdAt
  if (t < job.pendingMs) return 'Pending'
  if (t < job.pendingMs + job.runningMs) return 'Running'
  return job.spec.fail ? 'Failed' : 'Succeeded'
}

/** How many log lines the job has printed by `now`: evenly over its running time, all once it ended. */
function linesAvailable(job: SimJob, now: number): number {
  const t = now - job.createdAt - job.pendingMs
  if (t <= 0) return 0
  if (t >= job.runningMs) return job.spec.lines
  return Math.floor((job.spec.lines * t) / job.runningMs)
}

function apiJob(job: SimJob, state: ScriptsState, now = Date.now()): Record<string, unknown> {
  const phase = phaseOf(job, now)
  const script = state.scripts.find((s) => s.canonicalName === job.canonicalName)
  const ended = phase === 'Failed' || phase === 'Succeeded'
  return {
    jobId: job.jobId,
    jobStatus: {
      end: ended ? new Date(job.createdAt + job.pendingMs + job.runningMs).toISOString() : null,
      envs: Object.entries(job.params).map(([key, value]) => ({key, value})),
      namespace: JOB_NAMESPACE,
      script: script ? apiScript(script) : {canonicalName: job.canonicalName},
      start: new Date(job.createdAt).toISOString(),
      status: phase,
    },
    userMD5: createHash('md5').update(job.username).digest('hex'),
  }
}

/** Handles /backplane/script/{clusterId}…; `segments` are the path's decoded segments. */
export function handleScripts(ctx: RequestContext, sim: SimState, segments: string[], claims: TokenClaims): void {
  const state = stateOf(sim)
  const [, , clusterId, ...rest] = segments
  const cluster = sim.clusters.find((c) => c.id === clusterId)
  if (!clusterId || !cluster) {
    error(ctx, 404, `cluster ${clusterId ?? ''} not found`)
    return
  }

  if (cluster.sim.loginForbidden) {
    error(ctx, 403, `user ${claims.preferred_username} is not allowed to access cluster ${cluster.id}`)
    return
  }

  const allow = (...methods: string[]): boolean => {
    if (methods.includes(ctx.method)) return true
    error(ctx, 405, `method ${ctx.method} not allowed on ${ctx.path}`)
    return false
  }

  if (rest.length === 0 || (rest.length === 1 && rest[0] === 'all')) {
    if (!allow('GET')) return
    const all = rest[0] === 'all'
    const visible = state.scripts.filter((s) => all || s.userMayRun)
    const name = all ? null : ctx.query.get('scriptname')
    if (name !== null) {
      const found = visible.filter((s) => s.canonicalName === name)
      if (found.length === 0) error(ctx, 404, `script ${name} not found`)
      else sendJson(ctx.res, 200, found.map((s) => apiScript(s)))
      return
    }

    sendJson(ctx.res, 200, visible.map((s) => apiScript(s)))
    return
  }

  if (rest[0] !== 'job' || rest.length > 3 || (rest.length === 3 && rest[2] !== 'logs')) {
    error(ctx, 404, `${ctx.method} ${ctx.path} is not implemented by the backplane simulator`)
    return
  }

  if (rest.length === 1) {
    if (!allow('GET', 'POST')) return
    if (ctx.method === 'GET') {
      sendJson(ctx.res, 200, state.jobs.filter((j) => j.clusterId === clusterId).map((j) => apiJob(j, state)))
      return
    }

    createJob(ctx, state, cluster.id, cluster.status.state, claims.preferred_username)
    return
  }

  const job = state.jobs.find((j) => j.jobId === rest[1] && j.clusterId === clusterId)
  if (!job) {
    error(ctx, 404, `job ${rest[1]} not found`)
    return
  }

  if (rest.length === 3) {
    if (!allow('GET')) return
    if (ctx.query.get('version') === 'v2') {
      void streamLogs(ctx.res, sim, state, job, ctx.query.get('follow') === 'true')
      return
    }

    const count = linesAvailable(job, Date.now())
    if (count * LINE_BYTES > MAX_JSON_LOG_BYTES) {
      error(ctx, 400, 'the logs are too large for the JSON form; ask for version=v2')
      return
    }

    const lines: string[] = []
    for (let i = 0; i < count; i++) lines.push(`${job.spec.line(i)}\n`)
    sendJson(ctx.res, 200, {logs: lines.join('')})
    return
  }

  if (!allow('GET', 'DELETE')) return
  if (ctx.method === 'DELETE') {
    state.jobs.splice(state.jobs.indexOf(job), 1)
    ctx.res.writeHead(200, {'Content-Length': '0'})
    ctx.res.end()
    return
  }

  sendJson(ctx.res, 200, apiJob(job, state))
}

function createJob(ctx: RequestContext, state: ScriptsState, clusterId: string, clusterState: string, username: string): void {
  if (clusterState === 'hibernating') {
    error(ctx, 400, `cluster ${clusterId} is hibernating; resume it before running scripts`)
    return
  }

  let body: {canonicalName?: unknown; parameters?: unknown}
  try {
    body = JSON.parse(ctx.body)
  } catch {
    error(ctx, 400, 'request body is not JSON')
    return
  }

  if (typeof body?.canonicalName !== 'string' || body.canonicalName === '') {
    error(ctx, 400, 'canonicalName is required')
    return
  }

  const params = body.parameters ?? {}
  if (typeof params !== 'object' || params === null || Array.isArray(params) || Object.values(params).some((v) => typeof v !== 'string')) {
    error(ctx, 400, 'parameters must be an object of strings')
    return
  }

  const script = state.scripts.find((s) => s.canonicalName === body.canonicalName)
  if (!script) {
    error(ctx, 400, `script ${body.canonicalName} not found`)
    return
  }

  if (!script.userMayRun) {
    error(ctx, 403, `user ${username} is not in the groups allowed to run ${script.canonicalName} (${script.allowedGroups.join(', ')})`)
    return
  }

  const given = params as Record<string, string>
  const declared = new Set(script.envs.map((e) => e.key))
  const undeclared = Object.keys(given).filter((k) => !declared.has(k))
  if (undeclared.length > 0) {
    error(ctx, 400, `parameter ${undeclared.join(', ')} is not declared by script ${script.canonicalName}`)
    return
  }

  const missing = script.envs.filter((e) => !e.optional && !given[e.key]).map((e) => e.key)
  if (missing.length > 0) {
    error(ctx, 400, `missing required parameter ${missing.join(', ')}`)
    return
  }

  let spec: RunSpec
  try {
    spec = script.run(given)
  } catch (error_) {
    error(ctx, 400, (error_ as Error).message)
    return
  }

  const job: SimJob = {
    canonicalName: script.canonicalName,
    clusterId,
    createdAt: Date.now(),
    jobId: `job-${randomBytes(8).toString('hex').slice(0, 10)}`,
    params: {...given},
    pendingMs: state.options.pendingMs,
    runningMs: state.options.runningMs,
    spec,
    username,
  }
  state.jobs.push(job)
  const headers: Record<string, string> = script.customerDataAccess
    ? {'Backplane-Warning': `script ${script.canonicalName} can read customer data: this run is audited`}
    : {}
  sendJson(ctx.res, 200, {...apiJob(job, state), message: `Job for ${script.canonicalName} created successfully`}, headers)
}

function sleep(sim: SimState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sim.timers.delete(timer)
      resolve()
    }, ms)
    sim.timers.add(timer)
  })
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }

    res.on('drain', done)
    res.on('close', done)
  })
}

const CHUNK_BYTES = 64 * 1024

/** version=v2: the log as a chunked octet stream, written as lines appear; with follow, open until the job ends. */
async function streamLogs(res: ServerResponse, sim: SimState, state: ScriptsState, job: SimJob, follow: boolean): Promise<void> {
  res.writeHead(200, {'Content-Type': 'application/octet-stream', 'X-Content-Type-Options': 'nosniff'})
  const cutAfter = state.cutLogStreamsAfterBytes
  let sent = 0
  let bytes = 0
  for (;;) {
    if (res.destroyed) return
    const now = Date.now()
    const available = linesAvailable(job, now)
    while (sent < available) {
      let chunk: Buffer | string = ''
      if (job.spec.block) {
        const count = Math.min(available - sent, Math.floor(CHUNK_BYTES / LINE_BYTES))
        chunk = job.spec.block(sent, count)
        sent += count
      } else {
        while (sent < available && chunk.length < CHUNK_BYTES) chunk += `${job.spec.line(sent++)}\n`
      }

      if (cutAfter !== undefined && bytes + chunk.length >= cutAfter) {
        res.write(chunk.slice(0, Math.max(0, cutAfter - bytes)), () => res.socket?.destroy())
        return
      }

      bytes += chunk.length
      if (!res.write(chunk)) await drained(res)
      if (res.destroyed) return
    }

    const ended = phaseOf(job, now) === 'Failed' || phaseOf(job, now) === 'Succeeded'
    if (!follow || (ended && sent >= job.spec.lines) || !state.jobs.includes(job)) {
      res.end()
      return
    }

    await sleep(sim, 50)
  }
}
