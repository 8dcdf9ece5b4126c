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

// Packages @oclif/core requires on every start but uses only on some paths (help templates, plugin globbing,
// spinners, DEBUG logging). Inside the bundle each is replaced by a stand-in that loads the real package on first
// use; esbuild keeps the real one as a lazily initialised module, so a command that never touches it never runs it.
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    b.onResolve({filter: /^(ejs|tinyglobby|cli-spinners|debug)$/}, (args) => (args.namespace === 'lazy' ? undefined : {namespace: 'lazy', path: args.path}))
    b.onLoad({filter: /.*/, namespace: 'lazy'}, ({path}) => ({
      contents:
        path === 'debug'
          ? // DEBUG unset (the normal case): oclif's loggers are no-ops, and the debug package is never loaded.
            `function off(ns) { const f = () => {}; f.enabled = false; f.namespace = ns; f.extend = (s, d = ':') => create(ns + d + s); return f }
             function create(ns) { return process.env.DEBUG ? require('debug')(ns) : off(ns) }
             create.enabled = (ns) => Boolean(process.env.DEBUG) && require('debug').enabled(ns)
             module.exports = create`
          : `let real; const load = () => (real ??= require(${JSON.stringify(path)}));
             module.exports = new Proxy({}, {
               get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
               has: (_, key) => key in load(),
               ownKeys: () => Reflect.ownKeys(load()),
               getOwnPropertyDescriptor: (_, key) => ({...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true}),
             })`,
      loader: 'js',
      resolveDir: root,
    }))
  },
}

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
  alias: {'wsl-utils': join(root, 'scripts', 'shims', 'wsl-utils.mjs')},
  bundle: true,
  plugins: [lazyPackages],
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
