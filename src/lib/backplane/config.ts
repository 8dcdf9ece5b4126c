import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'

import {CliError} from '../errors.js'
import {readFileIfExists} from '../fs/atomic.js'
import {describeType, readJsonObject} from '../fs/json-file.js'

/** How a backplane config value is stored, read and given to `config set`. */
export type ConfigValueType = 'boolean' | 'home-path' | 'path' | 'string' | 'url' | 'url-list'

export interface ConfigKeySpec {
  description: string
  key: string
  /** Shown masked by `config get` unless --reveal. */
  secret?: boolean
  type: ConfigValueType
}

/**
 * The keys of `~/.config/backplane/config.json` (as the Go backplane-cli reads it): the one definition
 * the loader, `config get` and `config set` share. Keys not listed here are kept as they are.
 */
export const BACKPLANE_CONFIG_KEYS = [
  {description: 'deprecated, as in Go: the backplane URL is the OCM environment\'s (or BACKPLANE_URL, --url); a different one here is warned about and not used', key: 'url', type: 'url'},
  {description: 'HTTP(S) proxies for backplane calls; the first whose /healthz answers is used (set: a comma list; HTTPS_PROXY wins)', key: 'proxy-url', type: 'url-list'},
  {description: 'HTTP(S) proxies for AWS calls (default: the backplane proxy; BACKPLANE_AWS_PROXY wins)', key: 'aws-proxy', type: 'url-list'},
  {description: 'PEM bundle trusted for OCM, SSO and backplane, and embedded in the kubeconfig', key: 'ca-file', type: 'path'},
  {description: 'print the cluster\'s details after login (true or false)', key: 'display-cluster-info', type: 'boolean'},
  {description: 'no warning at login when KUBE_PS1_CLUSTER_FUNCTION is unset (true or false)', key: 'disable-kube-ps1-warning', type: 'boolean'},
  {description: 'after login, say how many other backplane sessions the cluster has (true or false; default true)', key: 'show-other-sessions', type: 'boolean'},
  {description: 'FedRAMP: no proxies at all, no PagerDuty, no VPN or proxy checks (true or false; GOVCLOUD wins)', key: 'govcloud', type: 'boolean'},
  {description: 'directory for backplane session files, relative to $HOME as in Go (default: ~/backplane)', key: 'session-dir', type: 'home-path'},
  {description: 'PagerDuty REST API key (login --pd; not used in govcloud)', key: 'pd-key', secret: true, type: 'string'},
  {description: 'PagerDuty REST API URL (default: https://api.pagerduty.com; env BACKPLANE_PAGERDUTY_URL wins)', key: 'pagerduty-api-url', type: 'url'},
  {description: 'JIRA API token (env JIRA_API_TOKEN wins)', key: 'jira-token', secret: true, type: 'string'},
  {description: 'JIRA account email, for basic auth with jira-token (env JIRA_EMAIL wins)', key: 'jira-email', type: 'string'},
  {description: 'URL that answers 200 only on the VPN (healthcheck)', key: 'vpn-check-endpoint', type: 'url'},
  {description: 'URL that answers 200 through the proxy (healthcheck; default: <backplane>/healthz)', key: 'proxy-check-endpoint', type: 'url'},
  {description: 'name of the production OCM environment (server-managed: config refresh)', key: 'prod-env-name', type: 'string'},
  {description: 'Jira base URL (server-managed: config refresh)', key: 'jira-base-url', type: 'url'},
  {description: 'initial AWS role ARN of the isolated credentials flow (server-managed: config refresh)', key: 'assume-initial-arn', type: 'string'},
] as const satisfies readonly ConfigKeySpec[]

export type BackplaneConfigKey = (typeof BACKPLANE_CONFIG_KEYS)[number]['key']
type ValueOf<T extends ConfigValueType> = T extends 'boolean' ? boolean : T extends 'url-list' ? string[] : string

/** `~/.config/backplane/config.json`, typed from BACKPLANE_CONFIG_KEYS. */
export type BackplaneConfig = {-readonly [K in (typeof BACKPLANE_CONFIG_KEYS)[number] as K['key']]?: ValueOf<K['type']>}

export function configKeySpec(key: string): ConfigKeySpec | undefined {
  return (BACKPLANE_CONFIG_KEYS as readonly ConfigKeySpec[]).find((k) => k.key === key)
}

/**
 * A value as the config file holds it → its typed value; undefined when unset (missing, null or "").
 * Throws a one-line error naming the file and the expected type.
 */
export function readConfigValue(spec: ConfigKeySpec, value: unknown, path: string): boolean | string | string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const bad = (want: string) =>
    new CliError(`backplane config ${path}: "${spec.key}" must be ${want}, not ${describeType(value)}`, {hint: `fix ${path} (or set BACKPLANE_CONFIG to another file)`})
  switch (spec.type) {
    case 'boolean': {
      if (typeof value !== 'boolean') throw bad('true or false')
      return value
    }

    case 'url-list': {
      if (typeof value === 'string') return [value]
      if (Array.isArray(value) && value.every((p) => typeof p === 'string')) return value.filter((p) => p !== '')
      throw bad('a string or a list of strings')
    }

    default: {
      if (typeof value !== 'string') throw bad('a string')
      return value
    }
  }
}

/**
 * A boolean as Go's strconv.ParseBool reads it (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False);
 * undefined for anything else.
 */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false
  return undefined
}

/** `govcloud` (FedRAMP): GOVCLOUD (read as Go's viper does: not a bool is false), else the config key. */
export function isGovcloud(config: BackplaneConfig, env: NodeJS.ProcessEnv): boolean {
  const fromEnv = env.GOVCLOUD
  if (fromEnv !== undefined && fromEnv !== '') return parseGoBool(fromEnv.trim()) ?? false
  return config.govcloud === true
}

/** Where backplane sessions live: session-dir under $HOME (Go: filepath.Join(home, session-dir)), default ~/backplane. */
export function sessionDirectory(config: BackplaneConfig, env: NodeJS.ProcessEnv): string {
  const home = env.HOME || homedir()
  const dir = config['session-dir']
  if (!dir) return join(home, 'backplane')
  return isAbsolute(dir) ? dir : join(home, dir)
}

/** The PagerDuty API key; none in govcloud, as in Go. */
export function pagerDutyKey(config: BackplaneConfig, env: NodeJS.ProcessEnv): string | undefined {
  return isGovcloud(config, env) ? undefined : config['pd-key'] || undefined
}

export function backplaneConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BACKPLANE_CONFIG) return env.BACKPLANE_CONFIG
  return join(env.HOME || homedir(), '.config', 'backplane', 'config.json')
}

export async function loadBackplaneConfig(env: NodeJS.ProcessEnv = process.env): Promise<{config: BackplaneConfig; path: string}> {
  const path = backplaneConfigPath(env)
  const hint = `fix ${path} (or set BACKPLANE_CONFIG to another file)`
  const raw = (await readJsonObject(path, 'backplane config', hint)) ?? {}
  const config: Record<string, unknown> = {}
  for (const spec of BACKPLANE_CONFIG_KEYS) {
    const value = readConfigValue(spec, raw[spec.key], path)
    if (value !== undefined) config[spec.key] = value
  }

  return {config: config as BackplaneConfig, path}
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
