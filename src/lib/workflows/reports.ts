// `backplane report list|get|create`: the cluster, its reports API, and reading what to attach (file or stdin,
// capped at 10 MiB).
import {createReadStream} from 'node:fs'
import type {Readable} from 'node:stream'

import type {Services} from '../services.js'
import type {TargetCluster} from './target-cluster.js'

import {MAX_REPORT_BYTES, ReportsApi} from '../backplane/reports.js'
import {CliError} from '../errors.js'
import {fileError} from '../fs/atomic.js'

export async function reportsApi(services: Services, target: TargetCluster): Promise<ReportsApi> {
  return new ReportsApi(await services.backplane(), target.id)
}

/** All of `source` (a path, or '-' for stdin), refusing anything over MAX_REPORT_BYTES without reading it all. */
export async function readReportData(source: string, stdin: Readable = process.stdin): Promise<Buffer> {
  const what = source === '-' ? 'stdin' : source
  const stream = source === '-' ? stdin : createReadStream(source)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length
      if (size > MAX_REPORT_BYTES) {
        if (stream !== stdin) stream.destroy()
        throw new CliError(`${what} is larger than 10 MiB, the limit of a report`, {code: 'TOO_LARGE', hint: 'attach a smaller file: trim it, or compress it (gzip) first'})
      }

      chunks.push(chunk as Buffer)
    }
  } catch (error) {
    if (error instanceof CliError) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`${what} does not exist`, {code: 'USAGE', exitCode: 2, hint: 'check the path given to --file'})
    throw fileError(error, what, 'read')
  }

  if (size === 0) throw new CliError(`${what} is empty: nothing to attach`, {code: 'USAGE', exitCode: 2, hint: 'give a file with --file, or pipe the text in with -'})
  return Buffer.concat(chunks)
}
