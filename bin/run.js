#!/usr/bin/env node
// Entry point for `backplane` and `ocm-backplane`.
// `--version` is answered without loading oclif: it is what shell prompts and scripts call most.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {readFileSync} = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`backplane/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // V8's code cache (Node >= 22.1): later starts skip compiling the bundle. Off with NODE_DISABLE_COMPILE_CACHE=1.
  const mod = await import('node:module')
  if (typeof mod.enableCompileCache === 'function' && !process.env.NODE_DISABLE_COMPILE_CACHE) {
    const {homedir} = await import('node:os')
    const base = process.env.XDG_CACHE_HOME || `${process.env.HOME || homedir()}/.cache`
    try {
      mod.enableCompileCache(`${base}/backplane/compile-cache`)
    } catch {
      // a read-only or missing cache directory only costs speed
    }
  }

  // engines.node is checked by npm at install time; oclif's own check loads semver on every start.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
  // The bundle's runtime entry (scripts/bundle.mjs): the same copy of @oclif/core the bundled commands use.
  // goCompatArgv: what a Go ocm-backplane user types (topic aliases, -v, a leading --verbosity) → what oclif parses.
  const {execute, goCompatArgv} = await import('../dist/runtime.js')
  await execute({args: goCompatArgv(argv), dir: import.meta.url})
}
