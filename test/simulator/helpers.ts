// Small HTTPS / kubectl helpers for the simulator tests.
import {execFile} from 'node:child_process'
import {request as httpsRequest} from 'node:https'

import type {Simulator} from '../../src/simulator/index.js'

export interface Response {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  json<T = Record<string, unknown>>(): T
}

export interface RequestOptions {
  method?: string
  token?: string
  headers?: Record<string, string>
  body?: string
}

/** One HTTPS request to the simulator, trusting its CA (no connection reuse). */
export function call(sim: Simulator, path: string, opts: RequestOptions = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {...opts.headers}
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`
    if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body))
    const req = httpsRequest(
      new URL(path, sim.url),
      {method: opts.method ?? 'GET', headers, ca: sim.caPem, agent: false},
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: <T>() => JSON.parse(body) as T,
          })
        })
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** The OCM search the CLI sends for a cluster key (id, name or external id). */
export function clusterSearch(key: string): string {
  const q = `'${key.replaceAll("'", "''")}'`
  return `(id = ${q} or name like ${q} or external_id = ${q})`
}

export function listPath(search: string, size = 100): string {
  return `/api/clusters_mgmt/v1/clusters?${new URLSearchParams({search, size: String(size)}).toString()}`
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command asynchronously (the simulator lives in this process, so never block the event loop). */
export function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, {timeout: timeoutMs}, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({code, stdout, stderr})
    })
  })
}
