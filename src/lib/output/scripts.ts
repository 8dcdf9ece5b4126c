// What `script list` and `script describe` print.
import type {Script} from '../backplane/scripts.js'

import {declaredParams} from '../workflows/managedjob/params.js'
import {visible} from './visible.js'
import {type Column, renderTable, type TableOptions} from './table.js'

/** The first line of the short description (else of the description). */
export function shortDescriptionOf(script: Script): string {
  const text = [script.shortDescription, script.description].find((d) => typeof d === 'string' && d.trim() !== '')
  return text ? text.trim().split('\n')[0].trim() : '-'
}

function groups(script: Script): string {
  return Array.isArray(script.allowedGroups) && script.allowedGroups.length > 0 ? visible(script.allowedGroups.join(', ')) : '-'
}

/** NAME / DESCRIPTION (and ALLOWED GROUPS last with --all, as Go); the description gives way to the terminal width. */
export function scriptTable(scripts: Script[], opts: TableOptions & {allowedGroups?: boolean} = {}): string {
  const columns: Column[] = [{header: 'NAME'}, {header: 'DESCRIPTION', shrink: true}, ...(opts.allowedGroups ? [{header: 'ALLOWED GROUPS'}] : [])]
  const rows = scripts.map((s) => [s.canonicalName, shortDescriptionOf(s), ...(opts.allowedGroups ? [groups(s)] : [])])
  return renderTable(columns, rows, opts)
}

/** A field shown on one line: control characters (newlines too) as escapes. */
function value(v: unknown): string {
  if (typeof v === 'string' && v.trim() !== '') return visible(v.trim())
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  return '-'
}

/** A field that may span lines (a description): newlines kept, other control characters escaped. */
function block(v: unknown): string {
  return typeof v === 'string' && v.trim() !== '' ? visible(v.trim(), {multiline: true}) : '-'
}

/** Everything `script describe` shows; every missing field is `-`. */
export function describeScript(script: Script): string {
  const fields: Array<[string, string]> = [
    ['Canonical name', value(script.canonicalName)],
    ['Author', value(script.author)],
    ['Description', block(script.description ?? script.shortDescription)],
    ['Allowed groups', groups(script)],
    ['Language', value(script.language)],
    ['Permalink', value(script.permalink)],
    ['Customer data', value(script.customerDataAccess)],
  ]
  const pad = Math.max(...fields.map(([k]) => k.length)) + 2
  const lines = fields.map(([k, v]) => {
    const [first, ...rest] = v.split('\n')
    return [`${`${k}:`.padEnd(pad)}${first}`, ...rest.map((l) => `${' '.repeat(pad)}${l}`.trimEnd())].join('\n')
  })
  const {optional, required} = declaredParams(script)
  const params = (title: string, list: typeof required) => {
    if (list.length === 0) return [`${title}: none`]
    const keyWidth = Math.max(...list.map((e) => e.key!.length))
    return [`${title}:`, ...list.map((e) => `  ${visible(e.key!).padEnd(keyWidth)}  ${block(e.description).split('\n')[0]}`)]
  }

  const paramLines = required.length + optional.length === 0 ? ['Parameters: none'] : [...params('Required parameters', required), ...params('Optional parameters', optional)]
  return [...lines, '', ...paramLines].join('\n')
}
