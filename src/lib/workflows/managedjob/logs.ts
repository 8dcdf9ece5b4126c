// `managedjob logs`: the job's log body copied to stdout as it arrives, in constant memory.
import type {Writable} from 'node:stream'

import {pipeline} from 'node:stream/promises'

import type {ScriptsApi} from '../../backplane/scripts.js'

import {CliError} from '../../errors.js'

export type StreamEnd = 'done' | 'interrupted' | 'output-closed'

export interface StreamResult {
  bytes: number
  end: StreamEnd
}

function isAbort(error: unknown): boolean {
  const e = error as {code?: string; name?: string}
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR'
}

/** Did the reader of our output go away (`| head`)? */
function isOutputClosed(error: unknown, out: Writable): boolean {
  const e = error as {code?: string}
  return e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_DESTROYED' || out.destroyed
}

/**
 * Copy the logs of a job to `out` (v2: streamed; an older backplane's JSON form is written as a whole).
 * Backpressure from `out` pauses the download, so memory stays flat whatever the log size.
 * Ends quietly when `signal` aborts (Ctrl-C) or `out` is closed by its reader; a connection cut
 * mid-stream is an error naming how much arrived.
 */
export async function streamLogs(api: Pick<ScriptsApi, 'openLogs'>, jobId: string, o: {follow: boolean; out: Writable; signal?: AbortSignal}): Promise<StreamResult> {
  let bytes = 0
  try {
    const source = await api.openLogs(jobId, {follow: o.follow, signal: o.signal})
    if (source.kind === 'json') {
      bytes = Buffer.byteLength(source.logs)
      if (source.logs !== '') await writeAll(o.out, source.logs.endsWith('\n') ? source.logs : `${source.logs}\n`)
      return {bytes, end: 'done'}
    }

    source.stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    await pipeline(source.stream, o.out, {end: false, ...(o.signal ? {signal: o.signal} : {})})
    return {bytes, end: 'done'}
  } catch (error) {
    if (o.signal?.aborted || isAbort(error)) return {bytes, end: 'interrupted'}
    if (isOutputClosed(error, o.out)) return {bytes, end: 'output-closed'}
    if (error instanceof CliError) throw error
    const code = (error as {code?: string}).code
    throw new CliError(`the log stream of job ${jobId} was cut after ${formatBytes(bytes)} (${code ?? (error as Error).message})`, {
      code: 'STREAM_CUT',
      hint: `run 'backplane managedjob logs ${jobId}' again`,
    })
  }
}

function writeAll(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, (error) => (error ? reject(error) : resolve()))
  })
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
