import {CliError} from '../errors.js'
import {readFileIfExists} from './atomic.js'

const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * Read a JSON object from a config file. Missing file → undefined.
 * A file that is not a JSON object gives one line naming the file and the problem.
 */
export async function readJsonObject(path: string, what: string, hint: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFileIfExists(path)
  if (text === undefined) return undefined
  if (text.length > MAX_CONFIG_BYTES) {
    throw new CliError(`${what} ${path} is too large (${text.length} bytes)`, {hint})
  }

  if (text.trim() === '') return {}
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new CliError(`${what} ${path} is not valid JSON: ${(error as Error).message.split('\n')[0]}`, {hint})
  }

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(`${what} ${path} must hold a JSON object`, {hint})
  }

  return data as Record<string, unknown>
}

export function optionalString(data: Record<string, unknown>, key: string, file: string, what: string): string | undefined {
  const value = data[key]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') {
    throw new CliError(`${what} ${file}: "${key}" must be a string, not ${describeType(value)}`, {hint: `fix "${key}" in ${file}`})
  }

  return value
}

export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
