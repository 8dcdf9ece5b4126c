import {Args, Flags} from '@oclif/core'

import {BaseCommand, traceEnabled} from '../base-command.js'
import {backplaneFlags} from '../flags.js'
import {redact} from '../lib/errors.js'
import {BROWSER_ENV, openInBrowser, wantsBrowser} from '../lib/console/browser.js'
import {
  MONITORING_TYPES,
  MonitoringProxy,
  type MonitoringType,
  OPENSHIFT_MONITORING,
  parseListen,
  type StartedMonitoring,
  validateHeaderValue,
  validateRemotePort,
} from '../lib/workflows/monitoring.js'
import {parsePastedUrl} from '../lib/net/local-url.js'
import {visible} from '../lib/output/visible.js'
import {interruptible} from '../lib/process/interrupt.js'

export default class Monitoring extends BaseCommand {
  static args = {
    type: Args.string({description: 'the monitoring UI', options: [...MONITORING_TYPES], required: true}),
  }

  static description = `Serve a cluster's Prometheus, Alertmanager, Thanos or Grafana on a local port, through backplane.

A reverse proxy on 127.0.0.1 (a free port, or --listen) forwards every request to <backplane>/backplane/<type>/<clusterId>/… of the current backplane context, through the backplane proxy, with a current OCM token and the x-namespace, x-selector and x-port headers of -n, -l and -p (Grafana also gets x-forwarded-user: your OpenShift user). Responses stream as they come, so long queries and event streams work.

From OpenShift 4.11 the Prometheus, Alertmanager and Grafana UIs of openshift-monitoring are deprecated and refused: use thanos, the Observe tab of 'backplane console', or another namespace. It stays in the foreground until Ctrl-C (exit 130).`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> thanos -b', description: "Open the cluster's Thanos querier in your browser"},
    {command: '<%= config.bin %> <%= command.id %> prometheus -n openshift-user-workload-monitoring', description: 'The user-workload Prometheus'},
    {
      command: "<%= config.bin %> <%= command.id %> thanos -u 'https://thanos-querier-openshift-monitoring.apps.my-cluster.example.com/graph?g0.expr=up'",
      description: 'A link from a PagerDuty alert, on the local proxy',
    },
    {command: '<%= config.bin %> <%= command.id %> alertmanager -n my-ns -l app=alertmanager -p 9093 --listen 127.0.0.1:9093', description: 'A stack of your own, on a fixed port'},
  ]

  static flags = {
    proxy: backplaneFlags.proxy,
    browser: Flags.boolean({char: 'b', description: `open it in your browser once it is served (default: ${BROWSER_ENV})`}),
    listen: Flags.string({description: 'local address to listen on, host:port (default: 127.0.0.1 and a free port); keep it on 127.0.0.1: anyone who reaches it uses your access'}),
    namespace: Flags.string({char: 'n', default: OPENSHIFT_MONITORING, description: 'namespace of the monitoring stack (sent as x-namespace)'}),
    origin: Flags.string({
      char: 'u',
      description: 'the original URL (e.g. from a PagerDuty alert): its path and query are printed (and opened) on the local proxy',
    }),
    port: Flags.string({char: 'p', description: "port the application listens on, sent as x-port (default: backplane picks the application's usual one)"}),
    selector: Flags.string({char: 'l', description: 'label selector of the application, sent as x-selector (e.g. -l app=prometheus,env!=test)'}),
  }

  static summary = "Serve a cluster's Prometheus, Alertmanager, Thanos or Grafana locally, through backplane"

  async run(): Promise<StartedMonitoring> {
    const {args, flags} = await this.parse(Monitoring)
    const type = args.type as MonitoringType
    const browser = wantsBrowser(flags.browser, process.env)
    const listen = flags.listen === undefined ? undefined : parseListen(flags.listen)
    if (flags.origin !== undefined) parsePastedUrl(flags.origin, '--origin')
    const selector = flags.selector === undefined ? undefined : validateHeaderValue(flags.selector, '--selector', 'app=prometheus')
    const port = flags.port === undefined ? undefined : validateRemotePort(flags.port)
    const verbose = this.serviceFlags.verbose || traceEnabled()

    const proxy = new MonitoringProxy(this.services, {
      listen,
      namespace: flags.namespace,
      origin: flags.origin,
      port,
      selector,
      trace: verbose ? (line) => process.stderr.write(`backplane: ${visible(redact(line))}\n`) : undefined,
      type,
    })
    // Ctrl-C (or SIGTERM) at any point: stop serving, free the port, exit 130 (143).
    const interrupt = interruptible({holdOn: true})
    const stopped = new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), {once: true}))
    const exitCode = () => (interrupt.received === 'SIGTERM' ? 143 : 130)
    try {
      // Ctrl-C while it checks the upstream stops at once.
      const started = await Promise.race([proxy.start(), stopped.then(() => undefined)])
      if (!started) {
        await proxy.stop()
        return this.exit(exitCode())
      }

      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(started)}\n`)
      else this.log(`Serving ${type} at ${started.url}`)
      if (listen && !['127.0.0.1', 'localhost', '::1'].includes(listen.host)) {
        this.warnLine(`listening on ${started.listen}: anyone who can reach it uses your backplane access`)
      }

      this.note('Press Ctrl-C to stop.')
      if (browser) {
        openInBrowser(started.url).catch((error: Error) => this.warnLine(`could not open a browser (${error.message}): open ${started.url} yourself`))
      }

      await stopped
      await proxy.stop()
      this.note(`Received ${interrupt.received}: stopped serving ${type}`)
      return this.exit(exitCode())
    } finally {
      interrupt.dispose()
      await proxy.stop()
    }
  }
}
