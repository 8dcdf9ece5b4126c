// `-p KEY=VALUE` parameters of `managedjob create`: parsing, and validation against the script's declared envs.
import type {EnvDecl, Script} from '../../backplane/scripts.js'

import {usageError} from '../../errors.js'

/**
 * `-p KEY=VALUE` flags → a map. Split on the first `=`, key and value trimmed; a missing `=` or an empty key
 * is a usage error; a repeated key: the last one wins.
 */
export function parseParams(values: readonly string[] = []): Record<string, string> {
  const params: Record<string, string> = {}
  for (const raw of values) {
    const eq = raw.indexOf('=')
    if (eq === -1) throw usageError(`invalid parameter "${raw}": expected KEY=VALUE`, 'pass each parameter as -p KEY=VALUE')
    const key = raw.slice(0, eq).trim()
    if (key === '') throw usageError(`invalid parameter "${raw}": the key is empty`, 'pass each parameter as -p KEY=VALUE')
    params[key] = raw.slice(eq + 1).trim()
  }

  return params
}

/** The script's parameters with a key, split into required and optional. */
export function declaredParams(script: Script): {optional: EnvDecl[]; required: EnvDecl[]} {
  const envs = (Array.isArray(script.envs) ? script.envs : []).filter((e): e is EnvDecl & {key: string} => typeof e?.key === 'string' && e.key !== '')
  return {optional: envs.filter((e) => e.optional === true), required: envs.filter((e) => e.optional !== true)}
}

/**
 * Check the parameters against what the script declares, before anything is sent: none to a script that
 * declares none, no undeclared one, every required one present (and not empty).
 */
export function validateParams(script: Script, params: Record<string, string>): void {
  const name = script.canonicalName ?? 'this script'
  const {required} = declaredParams(script)
  const given = Object.keys(params)
  const declared = new Set((Array.isArray(script.envs) ? script.envs : []).map((e) => e?.key).filter((k): k is string => typeof k === 'string' && k !== ''))
  if (declared.size === 0 && given.length > 0) {
    throw usageError(`script ${name} takes no parameters, but got ${given.join(', ')}`, 'run it without -p')
  }

  const unknown = given.filter((k) => !declared.has(k))
  if (unknown.length > 0) {
    throw usageError(`script ${name} has no parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, `it accepts ${[...declared].join(', ')}`)
  }

  const missing = required.map((e) => e.key!).filter((k) => params[k] === undefined || params[k] === '')
  if (missing.length > 0) {
    throw usageError(
      `script ${name} needs parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      `pass ${missing.map((k) => `-p ${k}=<value>`).join(' ')} (see 'backplane script describe ${name}')`,
    )
  }
}
