import type {OcmCluster} from '../ocm/clusters.js'

import {clusterState} from '../ocm/clusters.js'
import {visible} from './visible.js'

/** An interactive picker (on stderr, so stdout stays clean) for a key that matches several clusters. */
export async function pickCluster(candidates: OcmCluster[]): Promise<OcmCluster> {
  const {select} = await import('@inquirer/prompts')
  return select(
    {
      choices: candidates.map((c) => ({description: visible(`${c.id} · ${clusterState(c)}`), name: visible(`${c.name} (${c.id})`), value: c})),
      message: 'Several clusters match; pick one',
    },
    {output: process.stderr},
  )
}
