// Bundles the CLI for runtime (issue 13): every command and hook becomes one small ESM entry that shares chunks
// (oclif's core among them) with bin/run.js, so a command loads a handful of files instead of hundreds.
// Rarely used, heavy packages stay external and are imported lazily where they are used.
import {build} from 'esbuild'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'
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
  ...Object.entries(pluginCommands).map(([file, out]) => ({in: `plugin-command:${file}`, out})),
]

// Each folded plugin command is wrapped so that its failures follow this CLI's contract (one `Error: … — …` line,
// exit 2 for usage errors), as every command of ours does through BaseCommand.
const pluginCommandWrappers = {
  name: 'plugin-command-wrappers',
  setup(b) {
    b.onResolve({filter: /^plugin-command:/}, (args) => ({namespace: 'plugin-command', path: args.path.slice('plugin-command:'.length)}))
    b.onLoad({filter: /.*/, namespace: 'plugin-command'}, ({path}) => ({
      contents: `import PluginCommand from ${JSON.stringify(join(root, 'node_modules', path))}
import {BaseCommand} from ${JSON.stringify(join(src, 'base-command.ts'))}
export default class extends PluginCommand {
  async init() {
    await super.init()
    await this.parse(PluginCommand) // strict flags even where the plugin's run() never parses (autocomplete create)
  }

  async catch(error) {
    return BaseCommand.prototype.catch.call(this, error)
  }
}
`,
      loader: 'js',
      resolveDir: root,
    }))
  },
}

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

const alias = {
  // jsonc-parser's `main` is a UMD build whose dynamic requires a bundle cannot follow; its ES module build is the same code.
  'jsonc-parser': join(root, 'node_modules', 'jsonc-parser', 'lib', 'esm', 'main.js'),
  'wsl-utils': join(root, 'scripts', 'shims', 'wsl-utils.mjs'),
}

const external = ['@kubernetes/client-node', 'open', '@inquirer/prompts', 'ora', 'typescript', 'ts-node', 'tsx']

// `await import('pkg')` of a CommonJS package: Node gives its named exports, but an esbuild chunk split off for it
// exports only `default`. Such imports go through a generated ES module that re-exports each name the package has.
const requireHere = createRequire(join(root, 'package.json'))
function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true
  if (file.endsWith('.mjs')) return false
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const pj = join(dir, 'package.json')
    if (existsSync(pj)) return JSON.parse(readFileSync(pj, 'utf8')).type !== 'module'
  }
  return true
}
const cjsDynamicImports = {
  name: 'cjs-dynamic-imports',
  setup(b) {
    b.onResolve({filter: /^[^./]/}, (args) => {
      if (args.kind !== 'dynamic-import' || args.path.startsWith('node:') || external.includes(args.path) || args.path in alias) return undefined
      let file
      try {
        file = requireHere.resolve(args.path)
      } catch {
        return undefined
      }
      return isCommonJs(file) ? {namespace: 'cjs-dynamic', path: args.path} : undefined
    })
    b.onLoad({filter: /.*/, namespace: 'cjs-dynamic'}, ({path}) => {
      const names = Object.keys(requireHere(path)).filter((n) => n !== 'default' && n !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(n))
      const spec = JSON.stringify(path)
      return {
        contents: `import * as m from ${spec}\nexport const {${names.join(', ')}} = m\nexport default m.default ?? m\n`,
        loader: 'js',
        resolveDir: root,
      }
    })
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
  alias,
  bundle: true,
  plugins: [lazyPackages, cjsDynamicImports, pluginCommandWrappers],
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints,
  external,
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
// What each output holds and imports, for the test that no command loads what only other commands need
// (test/scripts/bundle.test.ts); kept out of the package.
writeFileSync(join(root, 'dist', 'bundle-meta.json'), JSON.stringify(result.metafile))
