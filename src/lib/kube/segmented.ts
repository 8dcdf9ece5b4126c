import {Document, isMap, isSeq, parse, parseDocument, stringify, type YAMLMap} from 'yaml'

import type {KubeconfigEditor, Section} from './kubeconfig.js'

import {setEntryFields} from './entry-fields.js'

const ITEM_KEY: Record<Section, string> = {clusters: 'cluster', contexts: 'context', users: 'user'}

interface Item {
  /** First and past-last line of the item's own text (trailing blank and comment lines excluded). */
  end: number
  start: number
}

interface SectionSpan {
  /** Line after the section's last item (where a new item goes). */
  insertAt: number
  items: Item[]
  /** Indentation of the section's `- ` item lines ('' for kubectl's flush style). */
  indent: string
}

/**
 * A large kubeconfig edited as text: the file is cut into its top-level keys and list items by
 * indentation alone, and only the few items login touches are parsed and rewritten with the yaml
 * library. Everything else stays byte for byte as it was, without parsing megabytes of YAML.
 * `tryParse` gives up (undefined) on anything it cannot cut with certainty, and the caller then
 * falls back to the full yaml Document.
 */
export class SegmentedKubeconfig implements KubeconfigEditor {
  private readonly lines: string[]
  private readonly replacements = new Map<number, {end: number; text: string[]}>()
  private readonly appended = new Map<Section, string[]>()
  private currentLine?: number
  private currentValue?: string
  private readonly sections: Record<Section, SectionSpan>

  private constructor(
    readonly path: string,
    lines: string[],
    sections: Record<Section, SectionSpan>,
    currentLine: number | undefined,
  ) {
    this.lines = lines
    this.sections = sections
    this.currentLine = currentLine
  }

  static tryParse(path: string, text: string): SegmentedKubeconfig | undefined {
    if (text.includes('\t') || text.includes('\r') || /^(---|\.\.\.|%)/m.test(text)) return undefined
    const lines = text.split('\n')
    const keys: Array<{key: string; line: number; rest: string}> = []
    for (const [i, line] of lines.entries()) {
      if (line === '' || line.startsWith(' ') || line.startsWith('#') || line.startsWith('- ')) continue
      const m = /^([A-Za-z][\w.-]*):(.*)$/.exec(line)
      if (!m) return undefined
      keys.push({key: m[1], line: i, rest: m[2]})
    }

    if (new Set(keys.map((k) => k.key)).size !== keys.length) return undefined
    const sections = {} as Record<Section, SectionSpan>
    for (const section of ['clusters', 'contexts', 'users'] as const) {
      const index = keys.findIndex((k) => k.key === section)
      if (index < 0 || !/^\s*(#.*)?$/.test(keys[index].rest)) return undefined
      const from = keys[index].line + 1
      const to = index + 1 < keys.length ? keys[index + 1].line : lines.length
      const span = cutItems(lines, from, to)
      if (!span) return undefined
      sections[section] = span
    }

    const current = keys.find((k) => k.key === 'current-context')
    return new SegmentedKubeconfig(path, lines, sections, current?.line)
  }

  body(section: Section, name: string): YAMLMap | undefined {
    const found = this.find(section, name)
    if (!found) return undefined
    const body = (found.doc.contents as unknown as {items: YAMLMap[]}).items[0].get(ITEM_KEY[section], true)
    return isMap(body) ? body : undefined
  }

  upsert(section: Section, name: string, fields: Record<string, unknown>): void {
    const span = this.sections[section]
    const found = this.find(section, name)
    const doc = found?.doc ?? new Document([{name, [ITEM_KEY[section]]: {}}])
    setEntryFields(doc, (doc.contents as unknown as {items: YAMLMap[]}).items[0], ITEM_KEY[section], fields)

    const text = doc
      .toString({flowCollectionPadding: false, indentSeq: span.indent !== '', lineWidth: 0})
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l === '' ? l : span.indent + l))
    if (found) {
      this.replacements.set(found.item.start, {end: found.item.end, text})
      this.cache.set(`${section}\u0000${name}`, {doc, item: found.item})
      this.docs.set(found.item.start, doc)
    } else {
      this.appended.set(section, [...(this.appended.get(section) ?? []), ...text])
      this.appendedDocs.set(section, [...(this.appendedDocs.get(section) ?? []), doc])
    }
  }

  currentContext(): string | undefined {
    const value = this.currentValue ?? (this.currentLine === undefined ? undefined : (parse(this.lines[this.currentLine]!) as Record<string, unknown> | null)?.['current-context'])
    return typeof value === 'string' && value !== '' ? value : undefined
  }

  setCurrentContext(name: string | undefined): void {
    this.currentValue = name ?? ''
  }

  contextsOfCluster(cluster: string): string[] {
    return this.contextsWith('cluster', cluster)
  }

  contextsUsingUser(user: string): string[] {
    return this.contextsWith('user', user)
  }

  remove(section: Section, name: string): boolean {
    const found = this.find(section, name)
    if (!found) return false
    this.replacements.set(found.item.start, {end: found.item.end, text: []})
    this.removed.add(found.item.start)
    this.cache.delete(`${section}\u0000${name}`)
    this.docs.delete(found.item.start)
    return true
  }

  /** Names of the contexts whose `key` (cluster or user) is `value`: items that mention it are parsed, the rest skipped. */
  private contextsWith(key: 'cluster' | 'user', value: string): string[] {
    const span = this.sections.contexts
    const names: string[] = []
    const check = (doc: Document) => {
      const map = (doc.contents as unknown as {items: YAMLMap[]}).items[0]
      const body = isMap(map) ? map.get('context', true) : undefined
      if (isMap(body) && body.get(key) === value) names.push(String(map.get('name')))
    }

    for (const item of span.items) {
      if (this.removed.has(item.start)) continue
      const doc = this.docs.get(item.start) ?? this.parseItem('contexts', item, value)
      if (doc) check(doc)
    }

    for (const doc of this.appendedDocs.get('contexts') ?? []) check(doc)
    return names
  }

  /** One item's own document, when it parses as one list item and its text mentions `mention`. */
  private parseItem(section: Section, item: Item, mention: string): Document | undefined {
    const span = this.sections[section]
    const text = this.lines.slice(item.start, item.end)
    if (!text.some((l) => l.includes(mention))) return undefined
    const doc = parseDocument(text.map((l) => l.slice(span.indent.length)).join('\n'), {uniqueKeys: false})
    if (doc.errors.length > 0 || !isSeq(doc.contents) || doc.contents.items.length !== 1) return undefined
    return doc
  }

  toString(): string {
    const out: string[] = []
    const inserts = new Map<number, string[]>()
    for (const [section, text] of this.appended) {
      const at = this.sections[section].insertAt
      inserts.set(at, [...(inserts.get(at) ?? []), ...text])
    }

    for (let i = 0; i <= this.lines.length; i++) {
      const insert = inserts.get(i)
      if (insert) out.push(...insert)
      if (i === this.lines.length) break
      const replacement = this.replacements.get(i)
      if (replacement) {
        out.push(...replacement.text)
        i = replacement.end - 1
        continue
      }

      if (i === this.currentLine && this.currentValue !== undefined) {
        out.push(`current-context: ${scalar(this.currentValue)}`)
        continue
      }

      out.push(this.lines[i])
    }

    if (this.currentLine === undefined && this.currentValue !== undefined) {
      if (out.at(-1) === '') out.pop()
      out.push(`current-context: ${scalar(this.currentValue)}`, '')
    }

    return out.join('\n')
  }

  private readonly cache = new Map<string, {doc: Document; item: Item}>()
  /** Documents of items edited here, by their first line (what a scan must see instead of the old text). */
  private readonly docs = new Map<number, Document>()
  private readonly removed = new Set<number>()
  private readonly appendedDocs = new Map<Section, Document[]>()

  private find(section: Section, name: string): undefined | {doc: Document; item: Item} {
    const key = `${section}\u0000${name}`
    const cached = this.cache.get(key)
    if (cached) return cached
    const span = this.sections[section]
    for (const item of span.items) {
      if (this.removed.has(item.start)) continue
      const text = this.lines.slice(item.start, item.end)
      // Cheap filter first: only items that mention the name are parsed.
      if (!text.some((l) => l.includes(name))) continue
      const dedented = text.map((l) => l.slice(span.indent.length)).join('\n')
      const doc = parseDocument(dedented, {uniqueKeys: false})
      if (doc.errors.length > 0 || !isSeq(doc.contents) || doc.contents.items.length !== 1) continue
      const map = doc.contents.items[0]
      if (isMap(map) && (map as YAMLMap).get('name') === name) {
        const found = {doc, item}
        this.cache.set(key, found)
        return found
      }
    }

    return undefined
  }
}

function cutItems(lines: string[], from: number, to: number): SectionSpan | undefined {
  let first = from
  while (first < to && isBlankOrComment(lines[first])) first++
  const m = first < to ? /^( *)- /.exec(lines[first]) : null
  if (!m) return undefined
  const indent = m[1]
  const itemPrefix = `${indent}- `
  const continuation = `${indent}  `
  const starts: number[] = []
  // Hot loop (tens of thousands of lines): plain prefix checks, no regular expressions.
  for (let i = first; i < to; i++) {
    const line = lines[i]
    if (line.startsWith(continuation)) continue
    if (line.startsWith(itemPrefix)) starts.push(i)
    else if (!isBlankOrComment(line)) return undefined
  }

  const items = starts.map((start, k) => {
    let end = k + 1 < starts.length ? starts[k + 1] : to
    while (end > start + 1 && isBlankOrComment(lines[end - 1])) end--
    return {end, start}
  })
  return {indent, insertAt: items.at(-1)!.end, items}
}

function isBlankOrComment(line: string): boolean {
  const t = line.trimStart()
  return t === '' || t.startsWith('#')
}

function scalar(value: string): string {
  return stringify(value, {lineWidth: 0}).replace(/\n$/, '')
}
