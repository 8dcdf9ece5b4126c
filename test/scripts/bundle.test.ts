import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT} from '../support/cli.js'

interface Metafile {
  outputs: Record<string, {imports: Array<{external?: boolean; kind: string; path: string}>; inputs: Record<string, unknown>}>
}

/** The packages a bundle output loads when it is imported: its static imports, transitively (not `await import()`). */
function loadedPackages(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const out = meta.outputs[file]
    if (!out) return
    for (const input of Object.keys(out.inputs)) {
      const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
      if (m) packages.add(m[1])
    }
    for (const i of out.imports) {
      if (i.kind !== 'import-statement') continue
      if (i.external) packages.add(i.path)
      else visit(i.path)
    }
  }
  visit(entry)
  return packages
}

describe('the runtime bundle (npm run build)', () => {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle-meta.json'), 'utf8')) as Metafile
  const commands = Object.keys(meta.outputs).filter((f) => f.startsWith('dist/commands/') && f.endsWith('.js'))

  it('holds every command, the folded help and autocomplete commands among them', () => {
    expect(commands).to.include.members(['dist/commands/login.js', 'dist/commands/version.js', 'dist/commands/help.js', 'dist/commands/autocomplete/index.js'])
  })

  it('no command loads, just by starting, the heavy packages only some code paths need', () => {
    // got and hpagent are imported when a request is made; the others only where they are used.
    const lazy = ['got', 'hpagent', '@kubernetes/client-node', 'open', '@inquirer/prompts', 'ora', 'jsonc-parser']
    for (const c of commands) expect([...loadedPackages(meta, c)].filter((p) => lazy.includes(p)), c).to.deep.equal([])
  })

  it('`version` and the runtime entry load oclif and nothing of the kubeconfig or HTTP stack', () => {
    for (const entry of ['dist/runtime.js', 'dist/commands/version.js']) {
      const loaded = loadedPackages(meta, entry)
      expect(loaded.has('@oclif/core'), entry).to.equal(true)
      expect(loaded.has('yaml'), entry).to.equal(false)
    }
  })
})
