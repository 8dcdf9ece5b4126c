// Which clusters `backplane each` runs on: a login key (name, id, %pattern%), a raw OCM search, or a file of keys;
// every OCM page is read. Clusters that are not ready (hibernating among them) are skipped, never logged in to.
import {readFile} from 'node:fs/promises'

import type {ClusterDirectory, OcmCluster} from '../ocm/clusters.js'

import {mapLimit} from '../concurrency.js'
import {CliError, usageError} from '../errors.js'
import {clusterState, quoteSearchValue, validateClusterKey} from '../ocm/clusters.js'

export type TargetSource = {file: string} | {key: string} | {search: string}

export interface Target {
  cluster: OcmCluster
  /** Why it is skipped (`hibernating`, `not ready: installing`); undefined: it runs. */
  skip?: string
}

/** A clusters file (or stdin) larger than this is refused. */
const MAX_FILE_BYTES = 10 * 1024 * 1024
const MAX_SEARCH_LENGTH = 8192
/** Keys without wildcards are looked up this many per OCM search. */
const KEYS_PER_SEARCH = 20

/** The keys of a clusters file: one a line; blank lines and `#` comments (whole-line or trailing) are ignored. */
export function parseClustersFile(text: string, source: string): string[] {
  const keys: string[] = []
  const lines = text.split(/\r?\n/)
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line === '') continue
    try {
      keys.push(validateClusterKey(line))
    } catch {
      throw usageError(`line ${i + 1} of ${source} is not a cluster key: "${cellSafe(line)}"`, 'give one cluster id, external id, name or %pattern% a line')
    }
  }

  return keys
}

function cellSafe(text: string): string {
  return text.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '?').slice(0, 80)
}

async function readKeys(file: string, stdin: NodeJS.ReadableStream): Promise<string[]> {
  const source = file === '-' ? 'stdin' : file
  let text: string
  if (file === '-') {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of stdin) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string)
      size += buffer.length
      if (size > MAX_FILE_BYTES) throw new CliError('the clusters list on stdin is larger than 10 MiB', {hint: 'give fewer keys, or a --search'})
      chunks.push(buffer)
    }

    text = Buffer.concat(chunks).toString('utf8')
  } else {
    try {
      const buffer = await readFile(file)
      if (buffer.length > MAX_FILE_BYTES) throw new CliError(`${file} is larger than 10 MiB`, {hint: 'give fewer keys, or a --search'})
      text = buffer.toString('utf8')
    } catch (error) {
      if (error instanceof CliError) throw error
      const code = (error as NodeJS.ErrnoException).code
      throw new CliError(`cannot read ${file}${code ? ` (${code})` : ''}`, {hint: 'check the path given to --clusters-file (- reads stdin)'})
    }
  }

  const keys = parseClustersFile(text, source)
  if (keys.length === 0) throw new CliError(`${source} names no cluster`, {hint: 'give one cluster id, external id, name or %pattern% a line'})
  return keys
}

/** Login's rule: an exact id, external id or name beats pattern matches. */
function matchesOfKey(key: string, matches: OcmCluster[]): OcmCluster[] {
  const exact = matches.filter((c) => c.id === key || c.external_id === key || c.name === key)
  return exact.length === 1 ? exact : matches
}

async function resolveKeys(directory: ClusterDirectory, keys: string[]): Promise<OcmCluster[]> {
  const unique = [...new Set(keys)]
  // Plain keys (no like wildcard) are looked up many to a search, with `=` only; patterns one by one.
  const plain = unique.filter((k) => !/[%_]/.test(k))
  const patterns = unique.filter((k) => /[%_]/.test(k))
  const batches: string[][] = []
  for (let i = 0; i < plain.length; i += KEYS_PER_SEARCH) batches.push(plain.slice(i, i + KEYS_PER_SEARCH))
  const found = new Map<string, OcmCluster[]>()
  await mapLimit([...batches.map((b) => ({batch: b})), ...patterns.map((p) => ({pattern: p}))], 4, async (job) => {
    if ('pattern' in job) {
      found.set(job.pattern, matchesOfKey(job.pattern, await directory.search(job.pattern)))
      return
    }

    const search = job.batch.map((k) => {
      const q = quoteSearchValue(k)
      return `id = ${q} or name = ${q} or external_id = ${q}`
    })
    const {clusters} = await directory.searchAll(search.join(' or '))
    for (const key of job.batch) found.set(key, matchesOfKey(key, clusters.filter((c) => c.id === key || c.external_id === key || c.name === key)))
  })
  const missing = unique.filter((k) => (found.get(k) ?? []).length === 0)
  if (missing.length > 0) {
    const more = missing.length > 10 ? ` and ${missing.length - 10} more` : ''
    throw new CliError(`no cluster matches ${missing.slice(0, 10).map((k) => `"${k}"`).join(', ')}${more}`, {code: 'NOT_FOUND', hint: 'fix or remove those lines'})
  }

  // In the order of the keys, each cluster once.
  const seen = new Set<string>()
  const clusters: OcmCluster[] = []
  for (const key of keys) {
    for (const cluster of found.get(key)!) {
      if (seen.has(cluster.id)) continue
      seen.add(cluster.id)
      clusters.push(cluster)
    }
  }

  return clusters
}

/** The clusters of a PATTERN, --search or --clusters-file, each marked to run or to skip. */
export async function resolveTargets(directory: ClusterDirectory, source: TargetSource, stdin: NodeJS.ReadableStream = process.stdin): Promise<Target[]> {
  let clusters: OcmCluster[]
  let what: string
  if ('key' in source) {
    const key = validateClusterKey(source.key)
    clusters = matchesOfKey(key, await directory.search(key))
    what = `"${key}"`
  } else if ('search' in source) {
    const search = source.search.trim()
    if (search === '' || search.length > MAX_SEARCH_LENGTH || /[\u0000-\u001F\u007F]/.test(search)) {
      throw usageError('invalid --search', `give an OCM search expression (at most ${MAX_SEARCH_LENGTH} characters, one line), e.g. "region.id = 'us-east-1'"`)
    }

    clusters = (await directory.searchAll(search)).clusters
    what = 'the search'
  } else {
    clusters = await resolveKeys(directory, await readKeys(source.file, stdin))
    what = source.file === '-' ? 'stdin' : source.file
  }

  if (clusters.length === 0) throw new CliError(`no cluster matches ${what}`, {code: 'NOT_FOUND', hint: "check it with 'ocm list clusters'"})
  return clusters.map((cluster) => {
    const state = clusterState(cluster)
    if (state === 'ready') return {cluster}
    return {cluster, skip: state === 'hibernating' ? 'hibernating' : `not ready: ${state}`}
  })
}
