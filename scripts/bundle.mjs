// Bundles the CLI for runtime (issue 13): every command and hook becomes one small ESM entry that shares chunks
// (oclif's core among them) with bin/run.js, so a command loads a handful of files instead of hundreds.
// Rarely used, heavy packages stay external and are imported lazily where they are used.
import {build} from 'esbuild'
import {readdirSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = join(root, 'src')

function tsFiles(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return tsFiles(p)
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : []
  })
}

// The help and autocomplete plugins' commands are folded in as our own (no plugin to find and load at start-up);
// bin/dev.js, which runs the sources, gets them as devPlugins instead.
const pluginCommands = {
  '@oclif/plugin-autocomplete/lib/commands/autocomplete/create.js': 'commands/autocomplete/create',
  '@oclif/plugin-autocomplete/lib/commands/autocomplete/index.js': 'commands/autocomplete/index',
  '@oclif/plugin-autocomplete/lib/commands/autocomplete/script.js': 'commands/autocomplete/script',
  '@oclif/plugin-help/lib/commands/help.js': 'commands/help',
}
const entryPoints = [
  ...tsFiles(join(src, 'commands')),
  ...tsFiles(join(src, 'hooks')),
  join(src, 'runtime.ts'),
  ...Object.entries(pluginCommands).map(([file, out]) => ({in: join(root, 'node_modules', file), out})),
]

const result = await build({
  banner: {
    js: [
      "import {createRequire as __bpRequire} from 'node:module';",
      "import {fileURLToPath as __bpPath} from 'node:url';",
      'const require = __bpRequire(import.meta.url);',
      'const __filename = __bpPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join(' '),
  },
  bundle: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints,
  external: ['@kubernetes/client-node', 'open', '@inquirer/prompts', 'ora', 'typescript', 'ts-node', 'tsx'],
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  outbase: src,
  outdir: join(root, 'dist'),
  platform: 'node',
  splitting: true,
  metafile: true,
  target: 'node20',
})
console.log(`bundled ${entryPoints.length} entries from ${relative(root, src)}`)
if (process.env.BUNDLE_META) (await import('node:fs')).writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile))
