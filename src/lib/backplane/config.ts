import {homedir} from 'node:os'
import {join} from 'node:path'

import {CliError} from '../errors.js'
import {readFileIfExists} from '../fs/atomic.js'
import {describeType, readJsonObject} from '../fs/json-file.js'

/** `~/.config/backplane/config.json`, as the Go backplane-cli reads it. */
export interface BackplaneConfig {
  'ca-file'?: string
  'display-cluster-info'?: boolean
  'proxy-url'?: string[]
  'session-dir'?: string
  url?: string
}

export function backplaneConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BACKPLANE_CONFIG) return env.BACKPLANE_CONFIG
  return join(env.HOME || homedir(), '.config', 'backplane', 'config.json')
}

export async function loadBackplaneConfig(env: NodeJS.ProcessEnv = process.env): Promise<{config: BackplaneConfig; path: string}> {
  const path = backplaneConfigPath(env)
  const hint = `fix ${path} (or set BACKPLANE_CONFIG to another file)`
  const raw = (await readJsonObject(path, 'backplane config', hint)) ?? {}
  const bad = (key: string, want: string) =>
    new CliError(`backplane config ${path}: "${key}" must be ${want}, not ${describeType(raw[key])}`, {hint})
  const config: BackplaneConfig = {}
  for (const key of ['url', 'ca-file', 'session-dir'] as const) {
    const value = raw[key]
    if (value === undefined || value === null || value === '') continue
    if (typeof value !== 'string') throw bad(key, 'a string')
    config[key] = value
  }

  const proxy = raw['proxy-url']
  if (typeof proxy === 'string' && proxy !== '') config['proxy-url'] = [proxy]
  else if (Array.isArray(proxy) && proxy.every((p) => typeof p === 'string')) config['proxy-url'] = proxy.filter((p) => p !== '')
  else if (proxy !== undefined && proxy !== null && proxy !== '') throw bad('proxy-url', 'a string or a list of strings')

  const info = raw['display-cluster-info']
  if (typeof info === 'boolean') config['display-cluster-info'] = info
  else if (info !== undefined && info !== null) throw bad('display-cluster-info', 'true or false')

  return {config, path}
}

export function validateHttpUrl(value: string, what: string, hint: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new CliError(`invalid ${what} "${value}"`, {exitCode: 2, hint})
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`invalid ${what} "${value}": not an http(s) URL`, {exitCode: 2, hint})
  return value.replace(/\/+$/, '')
}

/** The PEM bundle named by BACKPLANE_CA_FILE or ca-file, checked so that a typo fails here and not as a TLS error later. */
export async function loadCaBundle(path: string): Promise<string> {
  const pem = await readFileIfExists(path)
  if (pem === undefined) throw new CliError(`CA file ${path} does not exist`, {hint: 'fix BACKPLANE_CA_FILE or ca-file in the backplane config'})
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CliError(`CA file ${path} holds no PEM certificate`, {hint: 'point it at a PEM bundle (-----BEGIN CERTIFICATE-----)'})
  }

  return pem
}
