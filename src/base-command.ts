import {Command, Flags} from '@oclif/core'

import {backplaneFlags} from './flags.js'
import {CliError, redact, usageError} from './lib/errors.js'
import {VERBOSITY_LEVELS} from './lib/go-argv.js'
import type {OcmCluster} from './lib/ocm/clusters.js'

import {shorten, shownValue, visible} from './lib/output/visible.js'
import {Services, type ServiceContext} from './lib/services.js'
import {updateNotice} from './lib/update/notice.js'
import {type ClusterPicker, targetCluster, type TargetCluster, type TargetOptions} from './lib/workflows/target-cluster.js'

/** The longest BACKPLANE_TIMEOUT: one day (Node's timers overflow past ~24.8 days and fire at once). */
export const MAX_TIMEOUT_SECONDS = 86_400

/**
 * BACKPLANE_TIMEOUT: seconds each attempt of an HTTP request may take, its body included (default 30). An
 * idempotent request is tried at most 3 times, so the whole request is bounded by about 3× that plus 3 s of backoff.
 */
export function timeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.BACKPLANE_TIMEOUT
  if (raw === undefined || raw === '') return undefined
  const secs = Number(raw.trim())
  if (raw.trim() === '' || !Number.isFinite(secs) || secs <= 0 || secs > MAX_TIMEOUT_SECONDS) {
    throw new CliError(`invalid BACKPLANE_TIMEOUT ${shownValue(raw)}`, {exitCode: 2, hint: `give a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (one day), e.g. 30`})
  }

  return secs * 1000
}

/** Is `DEBUG` asking for backplane's request trace? (`DEBUG=backplane*`, `DEBUG=*`, `DEBUG=1`) */
export function traceEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const debug = env.DEBUG ?? ''
  return debug === '1' || debug === '*' || /(^|,)\s*backplane/.test(debug)
}

export type Verbosity = (typeof VERBOSITY_LEVELS)[number]

/** Go's `--verbosity` (logrus levels, any case) → the level; an unknown one is a usage error. */
export function parseVerbosity(value: string): Verbosity {
  const level = value.trim().toLowerCase() as Verbosity
  if (!VERBOSITY_LEVELS.includes(level)) throw usageError(`invalid --verbosity "${value}"`, 'give one of panic, fatal, error, warn, info, debug')
  return level
}

const RANK: Record<Verbosity, number> = {debug: 5, error: 2, fatal: 1, info: 4, panic: 0, trace: 6, warn: 3, warning: 3}

/** What a level turns on: warnings (warn and up), step lines (info and up), the request trace (debug and up). */
export function verbosityEffects(level: undefined | Verbosity): {steps: boolean; trace: boolean; warnings: boolean} {
  const rank = level === undefined ? RANK.warn : RANK[level]
  return {steps: rank >= RANK.info, trace: rank >= RANK.debug, warnings: rank >= RANK.warn}
}

/**
 * Every command extends this. It builds the services (OCM session, backplane client, kubeconfig)
 * on first use, and renders every failure as one line: `Error: <what> — <what to do>`.
 */
export abstract class BaseCommand extends Command {
  static baseFlags = {
    verbose: Flags.boolean({
      description: 'trace each HTTP request (method, URL, status, timing) on stderr; tokens are never shown (also DEBUG=backplane*)',
      helpGroup: 'GLOBAL',
    }),
    verbosity: Flags.string({
      description: "Go ocm-backplane's log level: panic|fatal|error (no warnings), warn (the default), info (step lines on stderr), debug (also the request trace, as --verbose); -v alone is info",
      helpGroup: 'GLOBAL',
      async parse(input) {
        return parseVerbosity(input)
      },
    }),
  }

  /** Replaceable in tests: how the services are built. */
  static createServices: (ctx: ServiceContext) => Services = (ctx) => new Services(ctx)

  private servicesInstance?: Services

  protected get services(): Services {
    this.servicesInstance ??= BaseCommand.createServices(this.serviceContext())
    return this.servicesInstance
  }

  /** Flags that feed the services (`--url`, `--proxy`, `--verbose`), read in init() for every command. */
  protected serviceFlags: {proxy?: string; raw?: boolean; url?: string; verbose?: boolean; verbosity?: Verbosity} = {}

  async init(): Promise<void> {
    await super.init()
    const {flags} = await this.parse(this.constructor as typeof BaseCommand)
    const f = flags as {proxy?: string; raw?: boolean; url?: string; verbose?: boolean; verbosity?: Verbosity}
    // --url / --proxy are backplane's only where the command takes backplaneFlags (console -u is a page URL).
    const own = (this.constructor as typeof BaseCommand).flags ?? {}
    // The once-a-day "new version" notice (never waits on the network); not for the kubeconfig's token helper.
    if (this.id !== 'token') {
      updateNotice({env: process.env, isTTY: process.stderr.isTTY === true, packageName: this.config.name, version: this.config.version, write: (t) => process.stderr.write(t)})
    }

    this.serviceFlags = {
      proxy: own.proxy === backplaneFlags.proxy ? f.proxy : undefined,
      raw: f.raw,
      url: own.url === backplaneFlags.url ? f.url : undefined,
      verbose: f.verbose,
      verbosity: f.verbosity,
    }
  }

  protected serviceContext(): ServiceContext {
    const effects = verbosityEffects(this.serviceFlags.verbosity)
    return {
      env: process.env,
      timeoutMs: timeoutFromEnv(process.env),
      proxyFlag: this.serviceFlags.proxy,
      step: effects.steps ? (line) => this.step(line) : undefined,
      trace: this.serviceFlags.verbose || effects.trace || traceEnabled() ? (line) => process.stderr.write(`backplane: ${visible(redact(line))}\n`) : undefined,
      urlFlag: this.serviceFlags.url,
      userAgent: `backplane-cli/${this.config.version}`,
      warn: (line) => this.warnLine(line),
    }
  }

  /** A step line on stderr, shown with --verbosity=info (or debug), as Go's logrus Info lines. */
  protected step(message: string): void {
    if (verbosityEffects(this.serviceFlags.verbosity).steps) process.stderr.write(`backplane: ${visible(redact(message))}\n`)
  }

  /** A picker for a key that matches several clusters, when a person is at the terminal (and no --json). */
  protected clusterPicker(): ClusterPicker | undefined {
    if (this.jsonEnabled() || !process.stdin.isTTY || !process.stderr.isTTY) return undefined
    return async (candidates: OcmCluster[]) => (await import('./lib/output/pick-cluster.js')).pickCluster(candidates)
  }

  /** The cluster the user names (resolved through OCM, with the picker), else the current backplane context's. */
  protected async targetCluster(key: string | undefined, o: Omit<TargetOptions, 'pick'> = {}): Promise<TargetCluster> {
    const target = await targetCluster(this.services, key, {...o, pick: this.clusterPicker()})
    this.step(target.cluster ? `target cluster ${target.cluster.name} (${target.id})` : `target cluster ${target.id} (the current backplane context)`)
    return target
  }

  /**
   * Human output on stdout. Whatever it holds (cluster names, script descriptions, job messages from the servers),
   * control characters are shown as visible escapes (`\x1b`): nothing printed can drive the terminal.
   * Byte-exact output (job logs, `report get`) and --json do not come through here.
   */
  log(message = '', ...args: unknown[]): void {
    super.log(typeof message === 'string' ? visible(message, {multiline: true}) : message, ...args)
  }

  /** stderr line for progress and notes, so that stdout stays clean for `source <(…)` and pipes. */
  protected note(message: string): void {
    process.stderr.write(`${visible(message, {multiline: true})}\n`)
  }

  /** A warning on stderr; --verbosity=error (or fatal, panic) silences them, as in Go. */
  protected warnLine(message: string): void {
    if (verbosityEffects(this.serviceFlags.verbosity).warnings) process.stderr.write(`Warning: ${visible(message, {multiline: true})}\n`)
  }

  async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<never> {
    if (error?.oclif?.exit !== undefined && error.constructor?.name === 'ExitError') throw error
    const cli = toCliError(error, this.id)
    // --raw (script, managedjob): the API's error body as JSON on stdout, as Go prints it; the error line still follows.
    if (this.serviceFlags?.raw && cli.apiBody !== undefined && !this.jsonEnabled()) process.stdout.write(`${redact(JSON.stringify(cli.apiBody, null, 2))}\n`)
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(cli))
    } else {
      process.stderr.write(`${errorLine(cli)}\n`)
    }

    if (process.env.DEBUG && error?.stack) process.stderr.write(`${redact(error.stack)}\n`)
    return this.exit(cli.exitCode)
  }

  /** oclif's default dumps the whole error, got's request options (and the bearer token) included. */
  protected toErrorJson(error: unknown): unknown {
    const cli = error instanceof CliError ? error : toCliError(error as Error, this.id)
    return {error: {code: cli.code, exitCode: cli.exitCode, hint: cli.hint === undefined ? undefined : redact(cli.hint), message: redact(cli.message)}}
  }
}

/** Longest message shown on the error line; a longer one (a 100 KB argument in it) keeps its start and end. */
const MAX_MESSAGE = 1000

/**
 * The one line a failure prints: `Error: <what> — <what to do>`, on one line whatever the message holds
 * (a newline or escape sequence from an argument or a server is shown escaped), tokens and proxy passwords masked.
 */
export function errorLine(cli: CliError): string {
  const message = shorten(visible(redact(cli.message)), MAX_MESSAGE)
  return `Error: ${message}${cli.hint ? ` — ${visible(redact(cli.hint))}` : ''}`
}

/** Map anything thrown to the one-line CliError: oclif's parse errors become usage errors (exit 2). */
export function toCliError(error: unknown, commandId?: string): CliError {
  if (error instanceof CliError && !/^Parsing --\S+\s*\n/.test(error.message)) return error
  const err = error as Error & {code?: string; oclif?: {exit?: number}}
  const lines = String(err?.message ?? err).split('\n').map((l) => l.trim()).filter(Boolean)
  let first = redact(lines[0] ?? '')
  // oclif: "Missing 1 required arg:\ncluster  description…" → "Missing 1 required arg: cluster"
  if (first.endsWith(':') && lines[1]) {
    const next = redact(lines[1].split(/\s{2,}/)[0])
    first = /^The following errors? occurred:$/.test(first) ? next : `${first} ${next}`
  }
  // oclif wraps a flag's own parse error: "Parsing --verbosity \n\t<the error>\nSee more help with --help".
  if (/^Parsing --\S+$/.test(first) && lines[1]) {
    const inner = error instanceof Error && 'hint' in error && typeof error.hint === 'string' ? error.hint : undefined
    const flag = first.slice('Parsing '.length)
    const message = redact(lines[1]).replace(/\.$/, '')
    return new CliError(message.includes(flag) ? message : `${flag}: ${message}`, {code: 'USAGE', exitCode: 2, hint: inner ?? (commandId ? `see 'backplane ${commandId.replaceAll(':', ' ')} --help'` : undefined)})
  }

  const helpHint = commandId ? `see 'backplane ${commandId.replaceAll(':', ' ')} --help'` : "see 'backplane --help'"
  if (err?.oclif?.exit === 2 || /^(Missing|Unexpected argument|Nonexistent flag|Expected |Parsing --|The following error occurred)/.test(first)) {
    return new CliError(first.replace(/\.$/, ''), {code: 'USAGE', exitCode: 2, hint: helpHint})
  }

  if (err?.code === 'EPIPE') return new CliError('output closed', {exitCode: 1})
  return new CliError(first || 'unexpected failure', {code: 'INTERNAL', exitCode: 1, hint: 'rerun with DEBUG=1 for details'})
}
