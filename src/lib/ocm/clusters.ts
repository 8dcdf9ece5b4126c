import type {OcmSession} from './session.js'

import {mapLimit} from '../concurrency.js'
import {CliError, usageError} from '../errors.js'
import {checkClusterId, urlPath} from '../ids.js'
import {shownValue} from '../output/visible.js'

/** The parts of an OCM cluster object backplane uses. */
export interface OcmCluster {
  api?: {url?: string}
  cloud_provider?: {id?: string}
  console?: {url?: string}
  dns?: {base_domain?: string}
  domain_prefix?: string
  external_id?: string
  hypershift?: {enabled?: boolean}
  id: string
  name: string
  openshift_version?: string
  product?: {id?: string}
  region?: {id?: string}
  state?: string
  status?: {limited_support_reason_count?: number; state?: string}
  version?: {raw_id?: string}
}

interface ClusterList {
  items?: unknown[]
  page?: number
  size?: number
  total?: number
}

/** OCM answers at most 100 clusters a page. */
export const OCM_PAGE_SIZE = 100
/** Pages fetched at once when a search spans many pages. */
export const PAGE_CONCURRENCY = 4
/** A search that would need more pages than this (1,000,000 clusters) is refused rather than fetched. */
const MAX_PAGES = 10_000

export interface SearchResult {
  clusters: OcmCluster[]
  /** The number of matches OCM reported. */
  total: number
}

const CLUSTER_KEY = /^[A-Za-z0-9%_][A-Za-z0-9%_.-]*$/

/** A cluster key is an id, an external id, a name, or a name pattern with `%` wildcards. */
export function validateClusterKey(key: string): string {
  const trimmed = key.trim()
  if (trimmed === '' || !CLUSTER_KEY.test(trimmed) || trimmed.includes('..') || trimmed.length > 256) {
    throw usageError(`invalid cluster ${shownValue(key)}`, 'give a cluster id, external id, name, or a name pattern such as %prod%')
  }

  return trimmed
}

/** OCM's search syntax quotes strings with single quotes; a quote inside is doubled. */
export function quoteSearchValue(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

export function clusterSearch(key: string): string {
  const q = quoteSearchValue(key)
  return `(id = ${q} or name like ${q} or external_id = ${q})`
}

export function clusterState(cluster: OcmCluster): string {
  return cluster.status?.state ?? cluster.state ?? 'unknown'
}

export function clusterVersion(cluster: OcmCluster): string | undefined {
  return cluster.openshift_version ?? cluster.version?.raw_id
}

function asCluster(item: unknown): OcmCluster | undefined {
  const c = item as OcmCluster
  if (!c || typeof c !== 'object' || typeof c.id !== 'string' || typeof c.name !== 'string') return undefined
  checkClusterId(c.id, 'OCM')
  return c
}

export class ClusterDirectory {
  constructor(private readonly ocm: OcmSession) {}

  /** Every cluster whose id, external id or name matches the key (a name may be a %pattern%), through all pages. */
  async search(key: string): Promise<OcmCluster[]> {
    return (await this.searchAll(clusterSearch(validateClusterKey(key)))).clusters
  }

  /**
   * Every cluster that matches an OCM search expression: the first page says how many there are, then the
   * other pages are fetched concurrently, at most PAGE_CONCURRENCY at a time. Order is OCM's; an id that
   * appears on two pages (the list changed meanwhile) is kept once.
   */
  async searchAll(search: string, o: {concurrency?: number} = {}): Promise<SearchResult> {
    const first = await this.page(search, 1)
    const perPage = first.items.length
    const total = typeof first.total === 'number' && Number.isSafeInteger(first.total) && first.total >= 0 ? first.total : perPage
    const pages = perPage === 0 ? 1 : Math.ceil(total / perPage)
    if (pages > MAX_PAGES) {
      throw new CliError(`OCM reports ${total} clusters for the search`, {hint: 'narrow the search'})
    }

    const numbers = Array.from({length: pages - 1}, (_, i) => i + 2)
    // Later pages must use the size the first one was answered with, or items would be skipped or repeated.
    const rest = await mapLimit(numbers, o.concurrency ?? PAGE_CONCURRENCY, (n) => this.page(search, n, perPage))
    const seen = new Set<string>()
    const clusters: OcmCluster[] = []
    for (const list of [first, ...rest]) {
      for (const cluster of list.items) {
        if (seen.has(cluster.id)) continue
        seen.add(cluster.id)
        clusters.push(cluster)
      }
    }

    return {clusters, total}
  }

  private async page(search: string, page: number, size = OCM_PAGE_SIZE): Promise<{items: OcmCluster[]; total?: number}> {
    const params: Record<string, string> = search.trim() === '' ? {} : {search}
    params.page = String(page)
    params.size = String(size)
    const list = await this.ocm.get<ClusterList>('/api/clusters_mgmt/v1/clusters', params)
    if (!list || !Array.isArray(list.items)) {
      throw new CliError('OCM answered the cluster search with an unexpected body', {hint: 'check the OCM URL (OCM_URL or url in the OCM config)'})
    }

    return {items: list.items.map(asCluster).filter((c): c is OcmCluster => c !== undefined), total: list.total}
  }

  async get(id: string): Promise<OcmCluster> {
    const cluster = asCluster(await this.ocm.get(urlPath('/api/clusters_mgmt/v1/clusters', id)))
    if (!cluster) throw new CliError(`OCM answered with an unexpected body for cluster ${id}`, {hint: 'check the OCM URL (OCM_URL or url in the OCM config)'})
    return cluster
  }

  /**
   * Resolve a key to exactly one cluster. Several matches go to `pick` (an interactive picker on a TTY);
   * without one they are an error that lists every candidate.
   */
  async resolve(key: string, pick?: (candidates: OcmCluster[]) => Promise<OcmCluster>): Promise<OcmCluster> {
    const matches = await this.search(key)
    // An exact id, external id or name beats pattern matches.
    const exact = matches.filter((c) => c.id === key || c.external_id === key || c.name === key)
    const candidates = exact.length === 1 ? exact : matches
    if (candidates.length === 1) return candidates[0]
    if (candidates.length === 0) {
      throw new CliError(`no cluster matches "${key}"`, {code: 'NOT_FOUND', hint: "check the name or id with 'ocm list clusters'"})
    }

    if (pick) return pick(candidates)
    // A pattern can match thousands: the count and the first 10.
    const list = candidates
      .slice(0, 10)
      .map((c) => `${c.name} (${c.id})`)
      .join(', ')
    const more = candidates.length > 10 ? ` and ${candidates.length - 10} more` : ''
    throw new CliError(`"${key}" matches ${candidates.length} clusters: ${list}${more}`, {code: 'AMBIGUOUS', hint: 'give the cluster id or a narrower pattern (on a terminal, a picker opens)'})
  }

  async backplaneUrl(): Promise<string | undefined> {
    const env = await this.ocm.get<{backplane_url?: unknown}>('/api/clusters_mgmt/v1/environment')
    return typeof env?.backplane_url === 'string' && env.backplane_url !== '' ? env.backplane_url : undefined
  }
}
