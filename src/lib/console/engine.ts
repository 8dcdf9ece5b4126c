import {spawn} from 'node:child_process'
import {constants as fsConstants, promises as fsp} from 'node:fs'
import {delimiter, join} from 'node:path'

import {CliError, redact, usageError} from '../errors.js'

export const ENGINES = ['podman', 'docker'] as const
export type EngineName = (typeof ENGINES)[number]

export const ENGINE_ENV = 'CONTAINER_ENGINE'

/** An executable file named `name` in one of PATH's directories, or undefined. */
export async function lookPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      const stat = await fsp.stat(candidate)
      if (!stat.isFile()) continue
      await fsp.access(candidate, fsConstants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }

  return undefined
}

/** The container engine: -c/--container-engine, else CONTAINER_ENGINE, else the first of podman, docker on PATH. */
export async function resolveEngine(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<{name: EngineName; path: string}> {
  const fromEnv = env[ENGINE_ENV]?.trim()
  const chosen = flag ?? (fromEnv ? fromEnv : undefined)
  if (chosen !== undefined) {
    const name = chosen.trim().toLowerCase()
    const source = flag === undefined ? ENGINE_ENV : '--container-engine'
    if (!(ENGINES as readonly string[]).includes(name)) {
      throw usageError(`unknown container engine "${chosen}" (${source})`, `use ${ENGINES.join(' or ')}`)
    }

    const path = await lookPath(name, env)
    if (!path) {
      const other = ENGINES.find((e) => e !== name)!
      throw new CliError(`container engine ${name} (${source}) is not on PATH`, {code: 'NO_ENGINE', hint: `install ${name}, or use ${other} with -c ${other}`})
    }

    return {name: name as EngineName, path}
  }

  for (const name of ENGINES) {
    const path = await lookPath(name, env)
    if (path) return {name, path}
  }

  throw new CliError('no container engine found: neither podman nor docker is on PATH', {
    code: 'NO_ENGINE',
    hint: 'install podman or docker (or set CONTAINER_ENGINE / -c to the one you have)',
  })
}

/** What engines say when a container is already gone (or going). */
const GONE = /no such container|no container with|not found|already in progress/i

export interface EngineResult {
  code: number
  stderr: string
  stdout: string
}

/** The last meaningful line an engine printed on stderr, made safe to show ("Error: " dropped, tokens redacted). */
export function engineMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(WARN|WARNING)\b/i.test(l) && !/^time=".*level=warn/i.test(l))
  const last = lines.at(-1) ?? ''
  const text = redact(last.replace(/^Error(?: response from daemon)?:\s*/i, ''))
  return text.length > 300 ? `${text.slice(0, 299)}…` : text
}

/** Runs one container engine (podman or docker): each call is one process, output captured, with a timeout. */
export class Engine {
  constructor(
    readonly name: EngineName,
    readonly path: string,
    private readonly opts: {env?: NodeJS.ProcessEnv; signal?: AbortSignal; trace?: (line: string) => void} = {},
  ) {}

  /** Run `<engine> <args>`; never rejects for a non-zero exit (the caller decides), only for a spawn failure, timeout or abort. */
  exec(args: string[], o: {env?: NodeJS.ProcessEnv; timeoutMs?: number; what?: string} = {}): Promise<EngineResult> {
    const {signal} = this.opts
    if (signal?.aborted) return Promise.reject(interrupted())
    this.opts.trace?.(`${this.name} ${args.map((a) => redact(a)).join(' ')}`)
    return new Promise((resolve, reject) => {
      const child = spawn(this.path, args, {env: {...(this.opts.env ?? process.env), ...o.env}, stdio: ['ignore', 'pipe', 'pipe']})
      let stdout = ''
      let stderr = ''
      let settled = false
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      const finish = (fn: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        fn()
      }

      const timeoutMs = o.timeoutMs ?? 120_000
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        finish(() =>
          reject(new CliError(`${this.name} ${o.what ?? args[0]} did not finish within ${Math.round(timeoutMs / 1000)}s`, {
            code: 'ENGINE_TIMEOUT',
            hint: `check that ${this.name} works ('${this.name} ps')`,
          })),
        )
      }, timeoutMs)
      const onAbort = () => {
        child.kill('SIGTERM')
        finish(() => reject(interrupted()))
      }

      signal?.addEventListener('abort', onAbort, {once: true})
      child.on('error', (error) =>
        finish(() => reject(new CliError(`cannot run ${this.path}: ${(error as Error).message}`, {code: 'NO_ENGINE', hint: `check your ${this.name} installation`}))),
      )
      child.on('close', (code, sig) => finish(() => resolve({code: code ?? (sig ? 128 : 1), stderr, stdout})))
    })
  }

  /** Is there a container (running or not) with exactly this name? */
  async exists(name: string): Promise<boolean> {
    const r = await this.exec(['ps', '-a', '--filter', `name=${name}`, '--format', '{{.Names}}'])
    if (r.code !== 0) throw this.failure(`could not list containers`, r, `check that ${this.name} works ('${this.name} ps')`)
    return r.stdout.split('\n').some((l) => l.trim() === name)
  }

  /** Is the container there and running? (`container inspect`; a missing container is not running.) */
  async running(name: string): Promise<boolean> {
    const r = await this.exec(['container', 'inspect', '--format', '{{.State.Running}}', name], {timeoutMs: 30_000})
    return r.code === 0 && r.stdout.trim() === 'true'
  }

  async stop(name: string): Promise<EngineResult> {
    return this.exec(['container', 'stop', name], {timeoutMs: 60_000})
  }

  async remove(name: string): Promise<EngineResult> {
    return this.exec(['container', 'rm', '--force', name], {timeoutMs: 60_000})
  }

  /**
   * Stop a container and make sure it is gone: stop removes a --rm container; anything left is removed.
   * Returns whether there was one.
   */
  async stopAndRemove(name: string): Promise<boolean> {
    if (!(await this.exists(name))) return false
    const stopped = await this.stop(name)
    if (!(await this.exists(name))) return true
    const removed = await this.remove(name)
    if (removed.code !== 0 && !GONE.test(removed.stderr)) {
      throw this.failure(`could not remove container ${name}`, stopped.code === 0 ? removed : stopped, `remove it yourself with '${this.name} rm -f ${name}'`)
    }

    return true
  }

  failure(what: string, r: EngineResult, hint?: string): CliError {
    const message = engineMessage(r.stderr) || engineMessage(r.stdout)
    return new CliError(`${this.name} ${what} (exit ${r.code})${message ? `: ${message}` : ''}`, {code: 'ENGINE_FAILED', hint})
  }
}

export function interrupted(): CliError {
  return new CliError('interrupted before the console started', {code: 'INTERRUPTED', exitCode: 130})
}
