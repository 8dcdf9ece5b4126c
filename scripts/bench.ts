// `npm run bench`: performance as ratios, each measured side by side in one run (interleaved, medians),
// printed as a table. Not a test: it reports, and exits 1 only when a measurement could not be made.
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {SEED, startSimulator, type Simulator} from '../src/simulator/index.js'
import {eachFleet, searchResolve} from './bench-fleet.js'
import {managedjobLogs} from './bench-managedjob.js'
import {startupComparisons} from './bench-startup.js'

const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const RUNS = Number(process.env.BENCH_RUNS ?? 15)

export interface Comparison {
  /** What is compared, e.g. "backplane --version vs node -e 0". */
  name: string
  /** The target, as a predicate on the ratio, and its text; none for a reference figure (e.g. a floor). */
  target?: {ok: (ratio: number) => boolean; text: string}
  /** The unit of the two figures. */
  unit: string
  /** Measure one pair: [ours, baseline] (and the `extra` figure, if any). Called RUNS times, alternating. */
  measure: (sim: Simulator) => Promise<[number, number] | [number, number, number]>
  /** A third figure of ours where higher is worse (e.g. peak RSS), shown on its own row as its highest run, against an absolute target. */
  extra?: {name: string; target: {ok: (value: number) => boolean; text: string}; unit: string}
  /** Optional one-off setup, and what undoes it (e.g. a simulator of its own). */
  setup?: (sim: Simulator) => Promise<void>
  teardown?: () => Promise<void>
  /** How many measured runs (default BENCH_RUNS): a long measurement (a whole fleet) takes fewer. */
  runs?: number
  /** The warm-up run, not counted (default: one measure()). */
  warmup?: (sim: Simulator) => Promise<void>
  /** Reference rows shown after this comparison's own (figures gathered while measuring). */
  extraRows?: () => string[][]
  /** Lower is better (times) unless false (throughput). */
  lowerIsBetter?: boolean
}

export function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv, okCodes: number[] = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, {env, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (!okCodes.includes(code ?? -1)) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`))
      else resolve(Number(process.hrtime.bigint() - started) / 1e6)
    })
  })
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export function freshHome(sim: Simulator): {env: NodeJS.ProcessEnv; home: string} {
  const home = mkdtempSync(join(tmpdir(), 'bp-bench-'))
  const ocm = join(home, 'ocm.json')
  writeFileSync(ocm, readFileSync(sim.ocmConfigPath))
  mkdirSync(join(home, '.kube'), {mode: 0o700})
  return {
    env: {BACKPLANE_CONFIG: sim.backplaneConfigPath, HOME: home, KUBECONFIG: join(home, '.kube', 'config'), OCM_CONFIG: ocm, PATH: process.env.PATH},
    home,
  }
}

const node = process.execPath
/** A clean environment: this script runs under tsx, whose loader must not slow the programs measured. */
const CLEAN_ENV: NodeJS.ProcessEnv = {HOME: process.env.HOME, PATH: process.env.PATH}
const startup: Comparison = {
  measure: async () => [await timeProcess(node, [RUN, '--version'], CLEAN_ENV), await timeProcess(node, ['-e', '0'], CLEAN_ENV)],
  name: 'backplane --version vs node -e 0',
  target: {ok: (r) => r <= 1.5, text: '≤ 1.5×'},
  unit: 'ms',
}

let execEnv: NodeJS.ProcessEnv
let staticEnv: NodeJS.ProcessEnv
const kubectlGetNs: Comparison = {
  async measure() {
    return [await timeProcess('kubectl', ['get', 'ns'], execEnv), await timeProcess('kubectl', ['get', 'ns'], staticEnv)]
  },
  name: 'kubectl get ns: login kubeconfig (exec helper) vs static token',
  async setup(sim) {
    const {env, home} = freshHome(sim)
    await timeProcess(node, [RUN, 'login', SEED.demo.name], env)
    execEnv = env
    const server = `${sim.backplaneUrl}/backplane/cluster/${SEED.demo.id}/`
    const token = JSON.parse(readFileSync(env.OCM_CONFIG!, 'utf8')).access_token
    const staticConfig = join(home, 'static-config')
    writeFileSync(
      staticConfig,
      JSON.stringify({
        apiVersion: 'v1',
        clusters: [{cluster: {'certificate-authority-data': Buffer.from(sim.caPem).toString('base64'), server}, name: 'c'}],
        contexts: [{context: {cluster: 'c', user: 'u'}, name: 'c'}],
        'current-context': 'c',
        kind: 'Config',
        users: [{name: 'u', user: {token}}],
      }),
    )
    staticEnv = {...env, KUBECONFIG: staticConfig}
  },
  target: {ok: (r) => r <= 1.2, text: '≤ 1.2×'},
  unit: 'ms',
}

/** A kubeconfig holding `n` unrelated contexts (with their clusters and users), as an SRE's file grows. */
export function crowdedKubeconfig(n: number): string {
  const out = ['apiVersion: v1', 'kind: Config', 'preferences: {}', 'clusters:']
  for (let i = 0; i < n; i++) out.push(`- cluster:`, `    certificate-authority-data: ${'Q0FEQVRB'.repeat(40)}`, `    server: https://api.c${i}.example.com:6443`, `  name: cluster-${i}`)
  out.push('contexts:')
  for (let i = 0; i < n; i++) out.push(`- context:`, `    cluster: cluster-${i}`, `    namespace: default`, `    user: user-${i}`, `  name: ctx-${i}`)
  out.push('current-context: ctx-0', 'users:')
  for (let i = 0; i < n; i++) out.push(`- name: user-${i}`, `  user:`, `    token: sha256~${'x'.repeat(43)}`)
  return `${out.join('\n')}\n`
}

const crowded = crowdedKubeconfig(5000)
const crowdedLogin: Comparison = {
  async measure(sim) {
    const full = freshHome(sim)
    writeFileSync(full.env.KUBECONFIG!, crowded, {mode: 0o600})
    const empty = freshHome(sim)
    return [await timeProcess(node, [RUN, 'login', SEED.demo.name], full.env), await timeProcess(node, [RUN, 'login', SEED.demo.name], empty.env)]
  },
  name: 'login into a kubeconfig of 5,000 contexts vs into an empty one',
  target: {ok: (r) => r <= 1.5, text: '≤ 1.5×'},
  unit: 'ms',
}

/** Later issues push their comparisons here. */
export const comparisons: Comparison[] = [startup, ...startupComparisons(node, `node ${process.version}`), kubectlGetNs, crowdedLogin, managedjobLogs, eachFleet, searchResolve]

/** The same start-up rows under Node 24 when a Node 24 binary is at hand (.ci/run installs one into .node24/). */
const node24 = process.env.BENCH_NODE24 ?? fileURLToPath(new URL('../.node24/node_modules/node/bin/node', import.meta.url))
if (existsSync(node24) && node24 !== node) {
  const v = execFileSync(node24, ['--version'], {encoding: 'utf8'}).trim()
  comparisons.splice(1 + startupComparisons(node, '').length, 0, ...startupComparisons(node24, `node ${v}`))
}

async function hasKubectl(): Promise<boolean> {
  return timeProcess('kubectl', ['version', '--client'], CLEAN_ENV).then(
    () => true,
    () => false,
  )
}

async function main(): Promise<void> {
  const sim = await startSimulator({quiet: true})
  const rows: string[][] = []
  let failedToMeasure = false
  try {
    const kubectl = await hasKubectl()
    // BENCH_ONLY=each,search: only the rows whose name holds one of these words.
    const only = (process.env.BENCH_ONLY ?? '').split(',').map((w) => w.trim()).filter(Boolean)
    for (const c of comparisons.filter((x) => only.length === 0 || only.some((w) => x.name.includes(w)))) {
      if ((c === kubectlGetNs || c === eachFleet) && !kubectl) {
        rows.push([c.name, '-', '-', '-', c.target?.text ?? '-', 'not measured: kubectl not installed'])
        continue
      }

      try {
        await c.setup?.(sim)
        // warm-up (disk cache, first TLS handshake), not counted
        if (c.warmup) await c.warmup(sim)
        else await c.measure(sim)
        const ours: number[] = []
        const base: number[] = []
        const extra: number[] = []
        for (let i = 0; i < (c.runs ?? RUNS); i++) {
          const [a, b, x] = await c.measure(sim)
          ours.push(a)
          base.push(b)
          if (x !== undefined) extra.push(x)
        }

        const [mo, mb] = [median(ours), median(base)]
        const ratio = mo / mb
        rows.push([c.name, `${mo.toFixed(1)} ${c.unit}`, `${mb.toFixed(1)} ${c.unit}`, `${ratio.toFixed(2)}×`, c.target?.text ?? '-', c.target ? (c.target.ok(ratio) ? 'met' : 'NOT met') : 'reference'])
        if (c.extra && extra.length > 0) {
          const worst = Math.max(...extra)
          rows.push([c.extra.name, `${worst.toFixed(1)} ${c.extra.unit}`, '-', '-', c.extra.target.text, c.extra.target.ok(worst) ? 'met' : 'NOT met'])
        }

        rows.push(...(c.extraRows?.() ?? []))
      } catch (error) {
        failedToMeasure = true
        rows.push([c.name, '-', '-', '-', c.target?.text ?? '-', `error: ${(error as Error).message.split('\n')[0]}`])
      } finally {
        await c.teardown?.()
      }
    }
  } finally {
    await sim.stop()
  }

  const header = ['comparison', 'ours (median)', 'baseline (median)', 'ratio', 'target', 'result']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ')
  console.log(`\nbackplane bench — ${RUNS} interleaved runs each, medians (node ${process.version}, ${process.platform}-${process.arch})\n`)
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const r of rows) console.log(line(r))
  if (failedToMeasure) process.exitCode = 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
