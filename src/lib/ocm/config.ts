import {homedir} from 'node:os'
import {join} from 'node:path'

import {CliError} from '../errors.js'
import {writeFileAtomic} from '../fs/atomic.js'
import {optionalString, readJsonObject} from '../fs/json-file.js'
import {requireTls} from '../http/tls.js'

export const DEFAULT_OCM_URL = 'https://api.openshift.com'
export const DEFAULT_TOKEN_URL = 'https://sso.redhat.com/auth/realms/redhat-external/protocol/openid-connect/token'
export const DEFAULT_CLIENT_ID = 'cloud-services'

const URL_ALIASES: Record<string, string> = {
  integration: 'https://api.integration.openshift.com',
  int: 'https://api.integration.openshift.com',
  production: 'https://api.openshift.com',
  prod: 'https://api.openshift.com',
  staging: 'https://api.stage.openshift.com',
  stage: 'https://api.stage.openshift.com',
}

const NOT_LOGGED_IN = () => new CliError('not logged in to OCM', {code: 'NOT_LOGGED_IN', hint: "run 'ocm login'"})

/** The fields of OCM's config file that backplane reads. Every other field is kept as it is. */
export interface OcmConfigFields {
  accessToken?: string
  clientId: string
  clientSecret?: string
  insecure: boolean
  refreshToken?: string
  scopes?: string[]
  tokenUrl: string
  url: string
}

export interface OcmConfig extends OcmConfigFields {
  /** The whole file as read, so that a write-back keeps what we do not know. */
  raw: Record<string, unknown>
  path: string
}

/** `$OCM_CONFIG`, else `~/.ocm.json`, else `~/.config/ocm/ocm.json`; when none exists, the first. */
export async function findOcmConfigPath(env: NodeJS.ProcessEnv = process.env): Promise<{exists: boolean; path: string}> {
  if (env.OCM_CONFIG) return {exists: true, path: env.OCM_CONFIG}
  const home = env.HOME || homedir()
  const {existsSync} = await import('node:fs')
  const legacy = join(home, '.ocm.json')
  if (existsSync(legacy)) return {exists: true, path: legacy}
  const xdg = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'ocm', 'ocm.json')
  if (existsSync(xdg)) return {exists: true, path: xdg}
  return {exists: false, path: legacy}
}

export function resolveOcmUrl(value: string): string {
  const alias = URL_ALIASES[value.trim().toLowerCase()]
  const url = alias ?? value.trim()
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)')
  } catch {
    throw new CliError(`invalid OCM URL "${value}"`, {exitCode: 2, hint: 'use an https:// URL or one of production, staging, integration'})
  }

  return url.replace(/\/+$/, '')
}

export async function loadOcmConfig(env: NodeJS.ProcessEnv = process.env): Promise<OcmConfig> {
  const {path} = await findOcmConfigPath(env)
  const raw = await readJsonObject(path, 'OCM config', `fix it or run 'ocm login' again`)
  if (!raw) throw NOT_LOGGED_IN()
  const str = (key: string) => optionalString(raw, key, path, 'OCM config')
  const scopes = raw.scopes
  if (scopes !== undefined && scopes !== null && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
    throw new CliError(`OCM config ${path}: "scopes" must be a list of strings`, {hint: `fix it or run 'ocm login' again`})
  }

  const urlSource = env.OCM_URL ? 'OCM_URL' : `url in ${path}`
  const url = requireTls(resolveOcmUrl(env.OCM_URL || str('url') || DEFAULT_OCM_URL), 'OCM URL', urlSource)
  const tokenUrl = requireTls(str('token_url') ?? DEFAULT_TOKEN_URL, 'SSO token URL', `token_url in ${path}`)
  return {
    accessToken: str('access_token'),
    clientId: str('client_id') ?? DEFAULT_CLIENT_ID,
    clientSecret: str('client_secret'),
    insecure: raw.insecure === true,
    path,
    raw,
    refreshToken: str('refresh_token'),
    scopes: (scopes as string[] | undefined) ?? undefined,
    tokenUrl,
    url,
  }
}

/** Write new tokens back into OCM's config, keeping every other field. */
export async function saveOcmTokens(config: OcmConfig, tokens: {accessToken: string; refreshToken?: string}): Promise<void> {
  const raw: Record<string, unknown> = {...config.raw, access_token: tokens.accessToken}
  if (tokens.refreshToken) raw.refresh_token = tokens.refreshToken
  await writeFileAtomic(config.path, JSON.stringify(raw, null, 2) + '\n', 0o600)
  config.raw = raw
  config.accessToken = tokens.accessToken
  if (tokens.refreshToken) config.refreshToken = tokens.refreshToken
}

export {NOT_LOGGED_IN}
