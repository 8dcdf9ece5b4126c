import type {OcmCluster} from '../ocm/clusters.js'

import {clusterState} from '../ocm/clusters.js'
import {visible} from './visible.js'

/** Up to this many candidates are a plain list; more open a search (type to filter). */
export const PICK_LIST_MAX = 15
/** Rows a filtered search shows at most (the rest are reached by typing more). */
const SEARCH_ROWS = 50

const choice = (c: OcmCluster) => ({description: visible(`${c.id} · ${clusterState(c)}`), name: visible(`${c.name} (${c.id})`), value: c})

/** The candidates whose name, id or external id contains every word of `term` (case-insensitive). */
export function filterClusters(candidates: OcmCluster[], term: string | undefined, limit = SEARCH_ROWS): OcmCluster[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const out: OcmCluster[] = []
  for (const c of candidates) {
    const text = `${c.name} ${c.id} ${c.external_id ?? ''}`.toLowerCase()
    if (words.every((w) => text.includes(w))) out.push(c)
    if (out.length >= limit) break
  }

  return out
}

/**
 * An interactive picker (on stderr, so stdout stays clean) for a key that matches several clusters: a list for a
 * few; for more (a %pattern% can match thousands), a search that filters as you type.
 */
export async function pickCluster(candidates: OcmCluster[]): Promise<OcmCluster> {
  const prompts = await import('@inquirer/prompts')
  if (candidates.length <= PICK_LIST_MAX) {
    return prompts.select({choices: candidates.map(choice), message: 'Several clusters match; pick one'}, {output: process.stderr})
  }

  return prompts.search(
    {
      message: `${candidates.length} clusters match; type to filter, then pick one`,
      pageSize: 10,
      async source(term) {
        const shown = filterClusters(candidates, term)
        return shown.map(choice)
      },
    },
    {output: process.stderr},
  )
}
