// `backplane config refresh`: GET /backplane/config (spec ClientConfig) and write the server-managed keys it
// carries into the config file. The file is edited as text (jsonc-parser), so every other key stays byte for byte.
import type {BackplaneClient} from './client.js'

import {CliError} from '../errors.js'
import {readFileIfExists, writeFileAtomic} from '../fs/atomic.js'
import {readJsonObject} from '../fs/json-file.js'
import {backplaneConfigPath} from './config.js'

/** Response field → config key, for every server-managed key. */
export const SERVER_MANAGED_KEYS = [
  ['jira_base_url', 'jira-base-url', 'string'],
  ['assume_initial_arn', 'assume-initial-arn', 'string'],
  ['prod_env_name', 'prod-env-name', 'string'],
  ['jira_config_for_access_requests', 'jira-config-for-access-requests', 'object'],
] as const

export interface ConfigChange {
  after: unknown
  before: unknown
  key: string
}

export interface RefreshResult {
  /** Keys whose value changed (others the server sent were already up to date). */
  changed: ConfigChange[]
  path: string
  /** Server-managed keys the server sent. */
  received: string[]
}

export async function fetchClientConfig(client: BackplaneClient): Promise<Record<string, unknown>> {
  const body = await client.http.getJson<unknown>(`${client.baseUrl}/backplane/config`, {headers: await client.auth()})
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new CliError('backplane answered GET /backplane/config without a JSON object', {hint: 'check the backplane URL (--url, BACKPLANE_URL or url in the backplane config)'})
  }

  return body as Record<string, unknown>
}

export async function refreshConfig(client: BackplaneClient, env: NodeJS.ProcessEnv): Promise<RefreshResult> {
  const path = backplaneConfigPath(env)
  const hint = `fix ${path} by hand (it must hold a JSON object), or set BACKPLANE_CONFIG to another file`
  // Read and check the file first: a broken one fails before any request and is never overwritten.
  const current = (await readJsonObject(path, 'backplane config', hint)) ?? {}
  const remote = await fetchClientConfig(client)
  const updates: Array<[string, unknown]> = []
  for (const [field, key, type] of SERVER_MANAGED_KEYS) {
    const value = remote[field]
    if (value === undefined || value === null) continue
    const ok = type === 'string' ? typeof value === 'string' : typeof value === 'object' && !Array.isArray(value)
    if (!ok) throw new CliError(`backplane sent "${field}" of the wrong type in GET /backplane/config`, {hint: 'nothing was changed; report it to the backplane team'})
    updates.push([key, value])
  }

  const changed = updates.filter(([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value)).map(([key, after]) => ({after, before: current[key], key}))
  if (changed.length > 0) {
    const {applyEdits, modify} = await import('jsonc-parser')
    let text = (await readFileIfExists(path)) ?? ''
    if (text.trim() === '') text = '{}\n'
    for (const c of changed) text = applyEdits(text, modify(text, [c.key], c.after, {formattingOptions: {insertSpaces: true, tabSize: 2}}))
    await writeFileAtomic(path, text.endsWith('\n') ? text : `${text}\n`, 0o600)
  }

  return {changed, path, received: updates.map(([key]) => key)}
}
