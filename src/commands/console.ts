import {Flags} from '@oclif/core'
import {homedir} from 'node:os'

import {BaseCommand, traceEnabled} from '../base-command.js'
import {CliError, redact} from '../lib/errors.js'
import {BROWSER_ENV, openInBrowser, wantsBrowser} from '../lib/console/browser.js'
import {ENGINE_ENV} from '../lib/console/engine.js'
import {parsePort} from '../lib/console/port.js'
import {spliceLocalUrl} from '../lib/net/local-url.js'
import {visible} from '../lib/output/visible.js'
import {ConsoleRun, waitForHealth} from '../lib/console/session.js'
import {interruptible} from '../lib/process/interrupt.js'

/** How often the running console's containers are checked: BACKPLANE_CONSOLE_WATCH_INTERVAL seconds (default 5). */
function watchIntervalMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.BACKPLANE_CONSOLE_WATCH_INTERVAL)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5000
}

export default class Console extends BaseCommand {
  static description = `Run the OpenShift web console of the current backplane cluster locally, in a container.

The console's own image (Deployment openshift-console/console on the cluster) runs in podman or docker, pointed at the backplane proxy with a fresh OCM token, so you get the console of a cluster you have no direct route to. From OpenShift 4.14 the monitoring plugin runs beside it. The image is pulled with your OCM pull secret, kept in $HOME/.kube/backplane-pull-secret.json (mode 0600).

The command stays in the foreground: Ctrl-C (or SIGTERM) stops and removes every container it started.`

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Run the console of the cluster you are logged in to'},
    {command: '<%= config.bin %> <%= command.id %> -b --port 9000', description: 'On a fixed port, and open it in your browser when it is up'},
    {command: '<%= config.bin %> <%= command.id %> -c docker --plugins', description: 'With docker, loading the console plugins enabled on the cluster'},
    {command: '<%= config.bin %> <%= command.id %> --image quay.io/openshift/origin-console:latest', description: 'With another console image'},
    {
      command: "<%= config.bin %> <%= command.id %> -b -u 'https://console-openshift-console.apps.my-cluster.example.com/k8s/ns/openshift-dns/pods'",
      description: 'Open the page a PagerDuty alert links to, on the local console',
    },
  ]

  static flags = {
    browser: Flags.boolean({char: 'b', description: `open the console in your browser once it answers (default: ${BROWSER_ENV})`}),
    'container-engine': Flags.string({char: 'c', description: `podman or docker (default: ${ENGINE_ENV}, else the first of podman, docker on PATH)`}),
    image: Flags.string({description: 'console image (default: the one the cluster runs)'}),
    plugins: Flags.boolean({description: 'also load the console plugins enabled on the cluster'}),
    port: Flags.string({description: 'local port on 127.0.0.1 (default: a free one)'}),
    url: Flags.string({
      char: 'u',
      description: 'a console URL (e.g. from PagerDuty): its path and query are printed and opened on the local console instead of its root',
    }),
  }

  static summary = "Run the cluster's web console locally, in podman or docker"

  async run(): Promise<void> {
    const {flags} = await this.parse(Console)
    const port = flags.port === undefined ? undefined : parsePort(flags.port)
    const browser = wantsBrowser(flags.browser, process.env)
    // Checked before anything starts: a bad URL is one usage line.
    if (flags.url !== undefined) spliceLocalUrl('http://127.0.0.1', flags.url, '--url')
    if (flags.image !== undefined && flags.image.trim() === '') throw new CliError('--image is empty', {code: 'USAGE', exitCode: 2, hint: 'give an image reference, or leave --image out'})

    const verbose = this.serviceFlags.verbose || traceEnabled()
    const interrupt = interruptible({holdOn: true})
    const session = new ConsoleRun(this.services, {
      engine: flags['container-engine'],
      env: process.env,
      home: process.env.HOME || homedir(),
      image: flags.image?.trim(),
      // Progress lines only on a terminal (or with --verbose): in scripts and pipes a failure stays one line.
      note: (line) => (process.stderr.isTTY || verbose) && this.note(line),
      plugins: flags.plugins,
      port,
      signal: interrupt.signal,
      trace: verbose ? (line) => process.stderr.write(`backplane: ${visible(redact(line))}\n`) : undefined,
      warn: (line) => this.warnLine(line),
    })
    try {
      let started
      try {
        started = await session.start()
      } catch (error) {
        const {errors, removed} = await session.cleanup()
        for (const line of errors) this.warnLine(line)
        if (removed.length === 0 || !(error instanceof CliError)) throw error
        throw new CliError(`${error.message} (stopped and removed ${removed.join(', ')})`, {code: error.code, exitCode: error.exitCode, hint: error.hint})
      }

      const page = flags.url === undefined ? started.url : spliceLocalUrl(started.url, flags.url, '--url')
      this.log(`Console is available at ${page}`)
      this.note('Press Ctrl-C to stop it and remove its containers.')
      if (browser) void this.openWhenUp(started.url, page, interrupt.signal)
      // Stay in the foreground until Ctrl-C / SIGTERM, watching that the containers keep running.
      const stopped = await session.watch(interrupt.signal, watchIntervalMs(process.env))
      if (stopped) {
        interrupt.abort()
        await this.cleanUp(session)
        throw new CliError(`container ${stopped} stopped unexpectedly`, {
          code: 'CONTAINER_STOPPED',
          hint: `run 'backplane console --verbose' again to see the engine's commands, and check '${started.engine} ps -a'`,
        })
      }

      this.note(`Received ${interrupt.received}: stopping the console`)
      await this.cleanUp(session)
    } finally {
      interrupt.dispose()
    }
  }

  private async cleanUp(session: ConsoleRun): Promise<void> {
    const {errors, removed} = await session.cleanup()
    for (const name of removed) this.note(`Stopped and removed container ${name}`)
    for (const error of errors) this.warnLine(error)
  }

  /** Wait for the console at `url` to answer /health, then open `page` (its root, or the --url page). */
  private async openWhenUp(url: string, page: string, signal: AbortSignal): Promise<void> {
    const up = await waitForHealth(url, {signal})
    if (signal.aborted) return
    if (!up) {
      this.warnLine(`the console did not answer ${url}/health within 60s: open ${page} yourself once it is up`)
      return
    }

    try {
      await openInBrowser(page)
    } catch (error) {
      this.warnLine(`could not open a browser (${(error as Error).message}): open ${page} yourself`)
    }
  }
}
