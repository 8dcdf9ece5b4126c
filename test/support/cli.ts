import {spawn} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const RUN = join(ROOT, 'bin', 'run.js')

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
  stdout: string
}

/** Everything every spawned command printed, so a test can check that no secret ever reached the screen. */
export const transcript: Array<{args: string[]; command?: string; stderr: string; stdout: string}> = []

const INHERITED = ['PATH', 'LANG', 'TERM', 'TMPDIR', 'SystemRoot']

/** A clean environment: nothing of the developer's own OCM, backplane, kube or proxy settings leaks in. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const key of INHERITED) if (process.env[key] !== undefined) env[key] = process.env[key]
  // No background registry check from tests (the notice's own tests turn it on with '0').
  env.BACKPLANE_NO_UPDATE_NOTIFIER = '1'
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v
  return env
}

/** Run a program as a user would, capture its output. */
export function runProgram(command: string, args: string[], env: NodeJS.ProcessEnv, opts: {cwd?: string; input?: string; timeoutMs?: number} = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      transcript.push({args, command, stderr, stdout})
      resolve({code, signal, stderr, stdout})
    })
    child.stdin.end(opts.input ?? '')
  })
}

/** `backplane <args>` through bin/run.js, exactly as an installed CLI runs. */
export function backplane(args: string[], env: NodeJS.ProcessEnv, opts: {input?: string; timeoutMs?: number} = {}): Promise<RunResult> {
  return runProgram(process.execPath, [RUN, ...args], env, opts)
}

/** The real kubectl, with a user's environment (its KUBECONFIG). */
export function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return runProgram('kubectl', args, env)
}

export interface UserHome {
  env: NodeJS.ProcessEnv
  home: string
  kubeconfig: string
  ocmConfig: string
}

/** A throwaway HOME with the simulator's OCM and backplane configs, and KUBECONFIG inside it. */
export function userHome(sim: {backplaneConfigPath: string; ocmConfigPath: string}, extra: Record<string, string | undefined> = {}): UserHome {
  const home = mkdtempSync(join(tmpdir(), 'bp-home-'))
  mkdirSync(join(home, '.kube'), {recursive: true})
  const ocmConfig = join(home, 'ocm.json')
  copyFileSync(sim.ocmConfigPath, ocmConfig)
  const backplaneConfig = join(home, 'backplane.json')
  copyFileSync(sim.backplaneConfigPath, backplaneConfig)
  const kubeconfig = join(home, '.kube', 'config')
  const env = cleanEnv({BACKPLANE_CONFIG: backplaneConfig, HOME: home, KUBECONFIG: kubeconfig, OCM_CONFIG: ocmConfig, ...extra})
  return {env, home, kubeconfig, ocmConfig}
}
