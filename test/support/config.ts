import {readFileSync, writeFileSync} from 'node:fs'

import type {UserHome} from './cli.js'

/** Merge keys into the user's backplane config (undefined removes a key). */
export function editBackplaneConfig(u: UserHome, keys: Record<string, unknown>): void {
  const path = u.env.BACKPLANE_CONFIG!
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  for (const [k, v] of Object.entries(keys)) {
    if (v === undefined) delete config[k]
    else config[k] = v
  }

  writeFileSync(path, JSON.stringify(config, null, 2))
}
