// Bench rows of issue 12 (fleet): `each` over 1,000 simulated clusters at --parallel 32 against 1000/32 single-cluster
// runs, the `each` process's own peak RSS (its children measured apart), and resolving a 10,000-cluster search
// against fetching the same pages with plain HTTPS requests.
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {Agent, request} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Comparison} from './bench.js'

import {startSimulator, type Simulator} from '../src/simulator/index.js'

const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const FLEET = 1000
const PARALLEL = 32
const SEARCH_FLEET = 10_000
/** Only the generated clusters: their names end in -NNNN (the seed clusters' do not). */
const GENERATED = "name like '%-____'"

function home(sim: Simulator): {dir: string; env: NodeJS.ProcessEnv} {
  const dir = mkdtempSync(join(tmpdir(), 'bp-bench-fleet-'))
  mkdirSync(join(dir, '.kube'), {mode: 0o700})
  writeFileSync(join(dir, 'ocm.json'), readFileSync(sim.ocmConfigPath))
  return {
    dir,
    env: {BACKPLANE_CONFIG: sim.backplaneConfigPath, HOME: dir, KUBECONFIG: join(dir, '.kube', 'config'), OCM_CONFIG: join(dir, 'ocm.json'), PATH: process.env.PATH, TMPDIR: tmpdir()},
  }
}

function vmHwmKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

interface Run {
  /** The peak RSS of its children (kubectl, oc, sh), highest seen, MB. */
  childPeakMb: number
  ms: number
  /** The process's own peak RSS (VmHWM, polled until it exits), MB. */
  peakMb: number
}

/** Run to the end with stdout discarded; exit 0 required. Its own peak RSS and its children's, polled apart. */
function measured(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [RUN, ...args], {env, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    let peakKb = 0
    let childKb = 0
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)))
    const poll = setInterval(() => {
      if (!child.pid) return
      peakKb = Math.max(peakKb, vmHwmKb(child.pid))
      for (const pid of childrenOf(child.pid)) childKb = Math.max(childKb, vmHwmKb(pid))
    }, 25)
    child.on('error', reject)
    child.on('exit', () => clearInterval(poll))
    child.on('close', (code) => {
      clearInterval(poll)
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) reject(new Error(`backplane ${args.slice(0, 4).join(' ')} … exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`))
      else resolve({childPeakMb: childKb / 1024, ms, peakMb: peakKb / 1024})
    })
  })
}

let fleetSim: Simulator | undefined
let fleetHome: {dir: string; env: NodeJS.ProcessEnv} | undefined
let firstGenerated = ''
let childPeak = 0

export const eachFleet: Comparison = {
  extra: {name: `each over ${FLEET} clusters: peak RSS of the each process (children apart)`, target: {ok: (mb) => mb <= 150, text: '≤ 150 MB'}, unit: 'MB'},
  extraRows: () => [[`reference: peak RSS of one child of each (kubectl get ns -o name)`, `${childPeak.toFixed(1)} MB`, '-', '-', '-', 'reference']],
  async measure() {
    const single = await measured(['each', firstGenerated, '--', 'get', 'ns', '-o', 'name'], fleetHome!.env)
    const fleet = await measured(['each', '--search', GENERATED, '--parallel', String(PARALLEL), '--yes', '-o', 'jsonl', '--', 'get', 'ns', '-o', 'name'], fleetHome!.env)
    childPeak = Math.max(childPeak, fleet.childPeakMb)
    return [fleet.ms, (single.ms * FLEET) / PARALLEL, fleet.peakMb]
  },
  name: `each over ${FLEET} clusters, --parallel ${PARALLEL}, get ns -o name vs (${FLEET}/${PARALLEL}) × a single-cluster each`,
  runs: Number(process.env.BENCH_FLEET_RUNS ?? 1),
  async setup() {
    fleetSim = await startSimulator({clusters: FLEET, quiet: true})
    fleetHome = home(fleetSim)
    firstGenerated = fleetSim.clusters.at(-FLEET)!.name
  },
  target: {ok: (r) => r <= 1.5, text: '≤ 1.5×'},
  async teardown() {
    await fleetSim?.stop()
    if (fleetHome) rmSync(fleetHome.dir, {force: true, recursive: true})
  },
  unit: 'ms',
  warmup: async () => {
    await measured(['each', firstGenerated, '--', 'get', 'ns', '-o', 'name'], fleetHome!.env)
  },
}

let searchSim: Simulator | undefined
let searchHome: {dir: string; env: NodeJS.ProcessEnv} | undefined

/** GET every page of the search, 4 at a time, with one keep-alive agent; the bodies are read, not parsed. */
async function plainPages(sim: Simulator, search: string, token: string): Promise<number> {
  const agent = new Agent({ca: sim.caPem, keepAlive: true})
  const get = (page: number): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const url = new URL('/api/clusters_mgmt/v1/clusters', sim.url)
      url.search = new URLSearchParams({page: String(page), search, size: '100'}).toString()
      const req = request(url, {agent, headers: {authorization: `Bearer ${token}`}}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve(Buffer.concat(chunks)))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
  const started = process.hrtime.bigint()
  const first = JSON.parse((await get(1)).toString()) as {total: number}
  const pages = Array.from({length: Math.ceil(first.total / 100) - 1}, (_, i) => i + 2)
  let next = 0
  await Promise.all(
    Array.from({length: 4}, async () => {
      while (next < pages.length) await get(pages[next++]!)
    }),
  )
  agent.destroy()
  return Number(process.hrtime.bigint() - started) / 1e6
}

export const searchResolve: Comparison = {
  async measure() {
    const ours = await measured(['each', '--search', GENERATED, '--dry-run', '-o', 'jsonl'], searchHome!.env)
    const plain = await plainPages(searchSim!, GENERATED, searchSim!.issueAccessToken())
    return [ours.ms, plain]
  },
  name: `resolve a ${SEARCH_FLEET.toLocaleString('en')}-cluster search (each --dry-run, CLI start included) vs its ${SEARCH_FLEET / 100} pages by plain HTTPS, 4 at a time`,
  runs: Number(process.env.BENCH_SEARCH_RUNS ?? 5),
  async setup() {
    searchSim = await startSimulator({clusters: SEARCH_FLEET, quiet: true})
    searchHome = home(searchSim)
  },
  target: {ok: (r) => r <= 3, text: '≤ 3×'},
  async teardown() {
    await searchSim?.stop()
    if (searchHome) rmSync(searchHome.dir, {force: true, recursive: true})
  },
  unit: 'ms',
}
