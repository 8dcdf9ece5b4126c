import {isAbsolute, resolve} from 'node:path'

import {usageError} from '../errors.js'
import {writeFileAtomic} from '../fs/atomic.js'
import {readJsonObject} from '../fs/json-file.js'
import {
  BACKPLANE_CONFIG_KEYS,
  backplaneConfigPath,
  type ConfigKeySpec,
  configKeySpec,
  loadCaBundle,
  parseGoBool,
  readConfigValue,
  validateHttpUrl,
} from './config.js'

export type ConfigValue = boolean | string | string[]

const MASK = '********'

export function validConfigKeys(): string[] {
  return BACKPLANE_CONFIG_KEYS.map((k) => k.key)
}

/** The spec of a key a user typed, or a usage error listing every valid key. */
export function requireConfigKey(key: string, orAll = false): ConfigKeySpec {
  const spec = configKeySpec(key.trim())
  if (!spec) throw usageError(`unknown config key "${key}"`, `valid keys: ${validConfigKeys().join(', ')}${orAll ? ' (or all)' : ''}`)
  return spec
}

/**
 * What a user typed after `config set <key>` → the value to store; undefined (an empty value) removes the key.
 * Bad values are usage errors (exit 2) that say what is expected.
 */
export function parseConfigInput(spec: ConfigKeySpec, input: string, cwd = process.cwd()): ConfigValue | undefined {
  const text = input.trim()
  if (text === '') return undefined
  switch (spec.type) {
    case 'boolean': {
      // What Go's strconv.ParseBool takes (its config set govcloud), and yes/no/on/off.
      const goBool = parseGoBool(text)
      if (goBool !== undefined) return goBool
      const lower = text.toLowerCase()
      if (['1', 'on', 'true', 'yes'].includes(lower)) return true
      if (['0', 'false', 'no', 'off'].includes(lower)) return false
      throw usageError(`invalid value "${input}" for ${spec.key}`, 'give true or false')
    }

    case 'home-path': {
      // Kept as typed: Go reads it relative to $HOME, not to the directory `config set` ran in.
      if (text.includes('\0')) throw usageError(`invalid value for ${spec.key}: not a path`, 'give a directory, relative to your home directory')
      return text
    }

    case 'path': {
      if (text.includes('\0')) throw usageError(`invalid value for ${spec.key}: not a path`, 'give a file or directory path')
      return isAbsolute(text) ? text : resolve(cwd, text)
    }

    case 'url': {
      return validateHttpUrl(text, spec.key, 'give an http:// or https:// URL')
    }

    case 'url-list': {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      if (items.length === 0) return undefined
      return items.map((item) => validateHttpUrl(item, `${spec.key} entry`, 'give http(s):// proxy URLs, separated by commas'))
    }

    default: {
      return text
    }
  }
}

/** A URL with its password replaced, for display (`http://user:********@proxy:3128`). */
export function maskUrlPassword(value: string): string {
  return value.replace(/^([a-z][\w+.-]*:\/\/[^:/@]*:)[^@/]*@/i, `$1${MASK}@`)
}

/** A value as `config get` shows it: secrets and URL passwords masked unless `reveal`. */
export function displayConfigValue(spec: ConfigKeySpec, value: ConfigValue | undefined, reveal: boolean): ConfigValue | undefined {
  if (value === undefined || reveal) return value
  if (spec.secret) return MASK
  if (spec.type === 'url') return maskUrlPassword(value as string)
  if (spec.type === 'url-list') return (value as string[]).map((v) => maskUrlPassword(v))
  return value
}

/** One value as text: lists comma-joined (as `config set` takes them). */
export function configValueText(value: ConfigValue | undefined): string {
  if (value === undefined) return ''
  return Array.isArray(value) ? value.join(',') : String(value)
}

export interface ConfigGetResult {
  path: string
  values: Record<string, ConfigValue | null>
}

/** Read the keys asked for (`all`: every known key); only those are type-checked, so a bad other key does not hide them. */
export async function getConfigValues(env: NodeJS.ProcessEnv, keys: ConfigKeySpec[], reveal: boolean): Promise<ConfigGetResult> {
  const path = backplaneConfigPath(env)
  const raw = (await readJsonObject(path, 'backplane config', `fix ${path} (or set BACKPLANE_CONFIG to another file)`)) ?? {}
  const values: Record<string, ConfigValue | null> = {}
  for (const spec of keys) {
    const value = readConfigValue(spec, raw[spec.key], path)
    values[spec.key] = displayConfigValue(spec, value, reveal) ?? null
  }

  return {path, values}
}

export interface ConfigSetResult {
  key: string
  path: string
  /** The value stored (masked when secret); null when the key was removed. */
  value: ConfigValue | null
}

/**
 * Set (or, with an empty value, remove) one key: read the file as JSON, change that key only, write it back
 * atomically with mode 0600. Every other key, known or not, is kept as it was.
 */
export async function setConfigValue(env: NodeJS.ProcessEnv, spec: ConfigKeySpec, input: string): Promise<ConfigSetResult> {
  const path = backplaneConfigPath(env)
  const raw = (await readJsonObject(path, 'backplane config', `fix ${path} by hand (it must hold a JSON object), or set BACKPLANE_CONFIG to another file`)) ?? {}
  const value = parseConfigInput(spec, input)
  if (spec.key === 'ca-file' && typeof value === 'string') await loadCaBundle(value)
  if (value === undefined) delete raw[spec.key]
  // One proxy is stored as a string, several as a list: both are what the Go backplane-cli reads.
  else raw[spec.key] = Array.isArray(value) && value.length === 1 ? value[0] : value
  await writeFileAtomic(path, `${JSON.stringify(raw, null, 2)}\n`, 0o600)
  return {key: spec.key, path, value: displayConfigValue(spec, value, false) ?? null}
}
