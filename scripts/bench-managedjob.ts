// Bench: `backplane managedjob logs -f` of a 200 MiB log vs curl of the same URL (throughput), and the CLI's peak RSS.
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Comparison} from './bench.js'

import {SEED, type Simulator} from '../src/simulator/index.js'

const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const SIZE_MIB = 200
const BYTES = Math.ceil((SIZE_MIB * 1024 * 1024) / 100) * 100
const GNU_TIME = '/usr/bin/time'

interface Measured {
  /** Peak resident set size in MB, when it could be measured. */
  peakMb?: number
  seconds: number
  stdout: string
}

/** Peak RSS of a running process from /proc (VmHWM, kB), polled: the fallback when GNU time is missing. */
function pollPeak(pid: number, onPeak: (kb: number) => void): NodeJS.Timeout {
  return setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (match) onPeak(Number(match[1]))
    } catch {
      // gone already
    }
  }, 10)
}

/**
 * Run a program with stdout to /dev/null (unless `capture`), timing it from spawn to exit; its peak RSS
 * through GNU time (-f %M) when installed, else by polling /proc/<pid>/status.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, opts: {capture?: boolean; rss?: boolean} = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const gnuTime = opts.rss && existsSync(GNU_TIME)
    const [cmd, argv] = gnuTime ? [GNU_TIME, ['-f', 'peak-rss-kb=%M', command, ...args]] : [command, args]
    const started = process.hrtime.bigint()
    const child = spawn(cmd, argv, {env, stdio: ['ignore', opts.capture ? 'pipe' : 'ignore', 'pipe']})
    let stdout = ''
    let stderr = ''
    let polledKb = 0
    child.stdout?.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    const poller = opts.rss && !gnuTime && child.pid ? pollPeak(child.pid, (kb) => (polledKb = Math.max(polledKb, kb))) : undefined
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      if (poller) clearInterval(poller)
      const timed = /peak-rss-kb=(\d+)\s*$/.exec(stderr)
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.replace(/peak-rss-kb=\d+\s*$/, '').trim()}`))
        return
      }

      const kb = timed ? Number(timed[1]) : polledKb
      resolve({peakMb: kb > 0 ? kb / 1024 : undefined, seconds, stdout})
    })
  })
}

let cliEnv: NodeJS.ProcessEnv
let jobId: string
let curlArgs: string[]

export const managedjobLogs: Comparison = {
  extra: {name: `  peak RSS of that managedjob logs -f (worst run)`, target: {ok: (mb) => mb <= 150, text: '≤ 150 MB'}, unit: 'MB'},
  lowerIsBetter: false,
  async measure() {
    const ours = await run(process.execPath, [RUN, 'managedjob', 'logs', jobId, '-f'], cliEnv, {rss: true})
    const curl = await run('curl', curlArgs, cliEnv, {capture: true})
    if (Number(curl.stdout) !== BYTES) throw new Error(`curl received ${curl.stdout} bytes, not ${BYTES}`)
    if (ours.peakMb === undefined) throw new Error('could not measure the peak RSS (no /usr/bin/time, no /proc)')
    const mibPerSecond = (m: Measured) => BYTES / 1024 / 1024 / m.seconds
    return [mibPerSecond(ours), mibPerSecond(curl), ours.peakMb]
  },
  name: `managedjob logs -f (${SIZE_MIB} MiB log) vs curl, throughput`,
  async setup(sim: Simulator) {
    // A user logged in to demo-cluster, with a finished job whose log is 200 MiB.
    const home = mkdtempSync(join(tmpdir(), 'bp-bench-mj-'))
    mkdirSync(join(home, '.kube'), {mode: 0o700})
    const ocm = join(home, 'ocm.json')
    writeFileSync(ocm, readFileSync(sim.ocmConfigPath))
    cliEnv = {BACKPLANE_CONFIG: sim.backplaneConfigPath, HOME: home, KUBECONFIG: join(home, '.kube', 'config'), OCM_CONFIG: ocm, PATH: process.env.PATH}
    sim.scripts.configure({pendingMs: 0, runningMs: 100})
    await run(process.execPath, [RUN, 'login', SEED.demo.name], cliEnv)
    const created = await run(process.execPath, [RUN, 'managedjob', 'create', 'sre/selftest', '-p', `SIZE_MB=${SIZE_MIB}`, '--wait', '--interval', '0.1', '--json'], cliEnv, {capture: true})
    jobId = JSON.parse(created.stdout).jobId
    // The CLI streams every byte (checked once here; each curl run checks its own count).
    const counted = await run('sh', ['-c', `"$0" "$1" managedjob logs "$2" -f | wc -c`, process.execPath, RUN, jobId], cliEnv, {capture: true})
    if (Number(counted.stdout.trim()) !== BYTES) throw new Error(`managedjob logs streamed ${counted.stdout.trim()} bytes, not ${BYTES}`)
    const token = JSON.parse(readFileSync(ocm, 'utf8')).access_token
    const url = `${sim.backplaneUrl}/backplane/script/${SEED.demo.id}/job/${jobId}/logs?version=v2&follow=true`
    curlArgs = ['-sS', '--fail', '--cacert', sim.caFile, '-H', `Authorization: Bearer ${token}`, '-o', '/dev/null', '-w', '%{size_download}', url]
  },
  target: {ok: (r) => r >= 0.7, text: '≥ 0.7×'},
  unit: 'MiB/s',
}
