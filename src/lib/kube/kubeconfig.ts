import {homedir} from 'node:os'
import {delimiter, join} from 'node:path'
import {Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq} from 'yaml'

import {CliError} from '../errors.js'
import {readFileIfExists, writeFileAtomic} from '../fs/atomic.js'
import {withFileLock} from '../fs/lock.js'
import {setEntryFields} from './entry-fields.js'
import {SegmentedKubeconfig} from './segmented.js'

export type Section = 'clusters' | 'contexts' | 'users'

/** What login needs to edit a kubeconfig: the yaml Document of a file, or its text cut into items when large. */
export interface KubeconfigEditor {
  body(section: Section, name: string): undefined | YAMLMap
  /** The contexts whose `cluster` is this entry. */
  contextsOfCluster(cluster: string): string[]
  /** The contexts whose `user` is this entry. */
  contextsUsingUser(user: string): string[]
  remove(section: Section, name: string): boolean
  /** The file's current-context (undefined when unset or empty). */
  currentContext(): string | undefined
  readonly path: string
  setCurrentContext(name: string | undefined): void
  toString(): string
  upsert(section: Section, name: string, fields: Record<string, unknown>): void
}

export interface CheckedKubeconfig {
  editor: KubeconfigEditor
  text: string | undefined
}

/** Files larger than this are edited as text (SegmentedKubeconfig) when their layout allows. */
export const LARGE_KUBECONFIG_BYTES = 256 * 1024
const ITEM_KEY: Record<Section, string> = {clusters: 'cluster', contexts: 'context', users: 'user'}

/** The files kubectl reads, in order: `$KUBECONFIG`'s entries, else `~/.kube/config`. The first is the one login writes. */
export function kubeconfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.trim() !== '')
  if (list.length > 0) return [...new Set(list)]
  return [join(env.HOME || homedir(), '.kube', 'config')]
}

const EMPTY = `apiVersion: v1
kind: Config
preferences: {}
`

/**
 * One kubeconfig file, edited through the yaml Document API so that every entry, comment,
 * extension and field we do not touch is written back as it was.
 */
export class KubeconfigFile implements KubeconfigEditor {
  private dirty = false

  private constructor(
    readonly path: string,
    readonly doc: Document,
    /** The bytes read, or undefined when the file did not exist. */
    readonly original: string | undefined,
    /** kubectl writes list items flush with their key (`clusters:\n- name:`); keep whichever style the file has. */
    private readonly indentSeq: boolean,
  ) {}

  static async load(path: string): Promise<KubeconfigFile> {
    const text = await readFileIfExists(path)
    return KubeconfigFile.parse(path, text)
  }

  /**
   * Read-modify-write under the file's lock: the file is read again inside the lock (reusing `previous`
   * when the bytes are the same), changed by `mutate`, and written atomically.
   */
  static async update<T>(path: string, mutate: (file: KubeconfigFile) => T | Promise<T>, previous?: KubeconfigFile): Promise<T> {
    return withFileLock(path, async () => {
      const text = await readFileIfExists(path)
      const file = previous && previous.original === text && !previous.dirty ? previous : KubeconfigFile.parse(path, text)
      const result = await mutate(file)
      await file.save()
      return result
    })
  }

  /**
   * Check a file before any request is made: small files are parsed whole; a large one only has to be
   * cut into its items (its untouched parts are not parsed, and are written back as they are).
   * The result is handed to updateEntries(), which reuses it when the file has not changed meanwhile.
   */
  static async check(path: string): Promise<CheckedKubeconfig> {
    const text = await readFileIfExists(path)
    const segmented = text !== undefined && text.length > LARGE_KUBECONFIG_BYTES ? SegmentedKubeconfig.tryParse(path, text) : undefined
    return {editor: segmented ?? KubeconfigFile.parse(path, text), text}
  }

  /** Like update(), for edits that need only the KubeconfigEditor calls: large files skip the full parse. */
  static async updateEntries<T>(path: string, mutate: (editor: KubeconfigEditor) => T, checked?: CheckedKubeconfig): Promise<T> {
    return withFileLock(path, async () => {
      const text = await readFileIfExists(path)
      const editor = checked && checked.text === text ? checked.editor : (await KubeconfigFile.check(path)).editor
      const result = mutate(editor)
      if (editor instanceof KubeconfigFile) await editor.save()
      else await writeFileAtomic(path, editor.toString(), 0o600)
      return result
    })
  }

  static parse(path: string, text: string | undefined): KubeconfigFile {
    const source = text === undefined || text.trim() === '' ? EMPTY : text
    const doc = parseDocument(source, {keepSourceTokens: false, uniqueKeys: false})
    const problem = doc.errors[0]?.message.split('\n')[0] ?? structuralProblem(doc)
    if (problem) {
      throw new CliError(`kubeconfig ${path} is not valid: ${problem}`, {code: 'BAD_KUBECONFIG', hint: 'fix the file (backplane left it unchanged)'})
    }

    return new KubeconfigFile(path, doc, text, !/^[\w-]+:[ \t]*\r?\n-[ \t]/m.test(source))
  }

  get exists(): boolean {
    return this.original !== undefined
  }

  currentContext(): string | undefined {
    const value = this.doc.get('current-context')
    return typeof value === 'string' && value !== '' ? value : undefined
  }

  setCurrentContext(name: string | undefined): void {
    this.dirty = true
    this.doc.set('current-context', this.doc.createNode(name ?? ''))
  }

  /** The body (`cluster:`, `context:` or `user:` map) of a named entry. */
  body(section: Section, name: string): YAMLMap | undefined {
    const item = this.item(section, name)
    const body = item?.get(ITEM_KEY[section], true)
    return isMap(body) ? body : undefined
  }

  has(section: Section, name: string): boolean {
    return this.item(section, name) !== undefined
  }

  /** Names of the entries of a section, in file order. */
  names(section: Section): string[] {
    return this.items(section)
      .map((item) => item.get('name'))
      .filter((n): n is string => typeof n === 'string')
  }

  /**
   * Set fields of a named entry (creating it at the end of its section when missing).
   * `undefined` values delete the field; fields not named are left as they are.
   */
  upsert(section: Section, name: string, fields: Record<string, unknown>): void {
    this.dirty = true
    let item = this.item(section, name)
    if (!item) {
      item = this.doc.createNode({name, [ITEM_KEY[section]]: {}}) as YAMLMap
      this.seq(section, true)!.add(item)
    }

    setEntryFields(this.doc, item, ITEM_KEY[section], fields)
  }

  remove(section: Section, name: string): boolean {
    const seq = this.seq(section, false)
    if (!seq) return false
    const index = seq.items.findIndex((item) => isMap(item) && item.get('name') === name)
    if (index < 0) return false
    this.dirty = true
    seq.items.splice(index, 1)
    return true
  }

  contextsOfCluster(cluster: string): string[] {
    return this.items('contexts')
      .filter((item) => {
        const body = item.get('context', true)
        return isMap(body) && body.get('cluster') === cluster
      })
      .map((item) => String(item.get('name')))
  }

  contextsUsingUser(user: string): string[] {
    return this.items('contexts')
      .filter((item) => {
        const body = item.get('context', true)
        return isMap(body) && body.get('user') === user
      })
      .map((item) => String(item.get('name')))
  }

  toString(): string {
    return this.doc.toString({flowCollectionPadding: false, indentSeq: this.indentSeq, lineWidth: 0})
  }

  /** Write atomically (temp file + rename), mode 0600. Nothing is written when nothing changed. */
  async save(): Promise<boolean> {
    if (!this.dirty) return false
    const text = this.toString()
    if (text === this.original) return false
    await writeFileAtomic(this.path, text, 0o600)
    return true
  }

  private item(section: Section, name: string): YAMLMap | undefined {
    return this.items(section).find((item) => item.get('name') === name)
  }

  private items(section: Section): YAMLMap[] {
    return (this.seq(section, false)?.items ?? []).filter((item): item is YAMLMap => isMap(item))
  }

  private seq(section: Section, create: boolean): undefined | YAMLSeq {
    const node = this.doc.get(section, true)
    if (isSeq(node)) {
      // `clusters: []` would otherwise grow as one long flow line.
      if (create && node.flow && node.items.length === 0) node.flow = false
      return node
    }

    if (!create) return undefined
    const seq = this.doc.createNode([]) as YAMLSeq
    this.doc.set(section, seq)
    return seq
  }
}

function structuralProblem(doc: Document): string | undefined {
  if (!isMap(doc.contents)) return 'the top level is not a mapping'
  for (const section of ['clusters', 'contexts', 'users'] as const) {
    const node = doc.get(section, true)
    if (node === undefined || node === null || (isScalar(node) && (node.value === null || node.value === ''))) continue
    if (!isSeq(node)) return `"${section}" is not a list`
    for (const item of node.items) {
      if (!isMap(item) || typeof item.get('name') !== 'string') return `an entry of "${section}" has no name`
    }
  }

  const current = doc.get('current-context')
  if (current !== undefined && current !== null && typeof current !== 'string') return '"current-context" is not a string'
  return undefined
}

/** What kubectl sees: the files of `$KUBECONFIG` merged, the first to set a value winning. */
export class KubeconfigSet {
  private constructor(readonly files: KubeconfigFile[]) {}

  static async load(paths: string[]): Promise<KubeconfigSet> {
    return new KubeconfigSet(await Promise.all(paths.map((p) => KubeconfigFile.load(p))))
  }

  /** The file login writes to (the first). */
  get primary(): KubeconfigFile {
    return this.files[0]
  }

  currentContext(): {file: KubeconfigFile; name: string} | undefined {
    for (const file of this.files) {
      const name = file.currentContext()
      if (name) return {file, name}
    }

    return undefined
  }

  /** The first file that defines the named entry. */
  find(section: Section, name: string): KubeconfigFile | undefined {
    return this.files.find((f) => f.has(section, name))
  }

  /** cluster, user and namespace of a context, as strings. */
  context(name: string): {cluster?: string; file: KubeconfigFile; namespace?: string; user?: string} | undefined {
    const file = this.find('contexts', name)
    const body = file?.body('contexts', name)
    if (!file || !body) return undefined
    const str = (key: string) => {
      const v = body.get(key)
      return typeof v === 'string' && v !== '' ? v : undefined
    }

    return {cluster: str('cluster'), file, namespace: str('namespace'), user: str('user')}
  }

  clusterServer(name: string): string | undefined {
    const server = this.find('clusters', name)?.body('clusters', name)?.get('server')
    return typeof server === 'string' ? server : undefined
  }

  /** Read-modify-write of every file of the set, under their locks (taken in path order). */
  static async update<T>(paths: string[], mutate: (set: KubeconfigSet) => T | Promise<T>): Promise<T> {
    const ordered = [...new Set(paths)].sort()
    const run = async (i: number): Promise<T> => {
      if (i < ordered.length) return withFileLock(ordered[i], () => run(i + 1))
      const set = await KubeconfigSet.load(paths)
      const result = await mutate(set)
      for (const file of set.files) await file.save()
      return result
    }

    return run(0)
  }
}
