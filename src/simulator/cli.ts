// `npm run simulator`: starts the simulator and prints how to point the CLI at it; runs until Ctrl-C / SIGTERM.
import {parseArgs} from 'node:util'

import {PD_INCIDENTS, SIM_JIRA_EMAIL, SIM_JIRA_TOKEN, SIM_PD_KEY, type Simulator, startSimulator} from './index.js'

const USAGE = `Usage: npm run simulator -- [--port N] [--dir DIR] [--host HOST] [--token-ttl SECONDS] [--clusters N [--faults]] [--quiet]

  --port N             listen on port N (default: a random free port)
  --dir DIR            write ca.pem, ocm.json and backplane.json to DIR (default: a fresh temp dir, removed on exit)
  --host HOST          listen address (default 127.0.0.1; the certificate covers 127.0.0.1, ::1 and localhost)
  --token-ttl SECONDS  lifetime of access tokens (default 900)
  --clusters N         also serve N generated clusters (realistic names, versions, regions; OCM pages of 100)
  --faults             with --clusters: one failing, one hibernating, one login-403 and one hanging cluster among them
  --quiet              don't log requests
`

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`
}

function nonNegativeInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a non-negative integer, got '${raw}'`)
  return Number(raw)
}

function describe(sim: Simulator): string {
  const pad = (s: string, n: number): string => s.padEnd(n)
  const shown = 30
  const clusters = sim.clusters.slice(0, shown).map(
    (c) =>
      `  ${pad(c.name, 18)} ${c.id}  ${pad(c.status.state, 11)} ${pad(c.cloud_provider.id, 4)} ${pad(c.region.id, 12)} ${c.product.id} ${c.openshift_version}` +
      (c.sim.loginForbidden ? '  (login: 403)' : '') +
      (c.sim.accessProtected ? '  (access protection: 403 until a request is approved)' : '') +
      (c.sim.kubeFault ? `  (kube API: ${c.sim.kubeFault})` : ''),
  )
  const faulty = sim.clusters.slice(shown).filter((c) => c.sim.loginForbidden || c.sim.kubeFault || c.status.state !== 'ready')
  for (const c of faulty) {
    const what = c.sim.loginForbidden ? 'login: 403' : c.sim.kubeFault ? `kube API: ${c.sim.kubeFault}` : c.status.state
    clusters.push(`  ${pad(c.name, 18)} ${c.id}  (${what})`)
  }

  if (sim.clusters.length > shown) clusters.push(`  … ${sim.clusters.length} clusters in all`)
  return [
    `Backplane simulator listening on ${sim.url}`,
    '',
    `  SSO token URL:     ${sim.tokenUrl}`,
    `  OCM API:           ${sim.ocmUrl}`,
    `  Backplane API:     ${sim.backplaneUrl}  (advertised by GET /api/clusters_mgmt/v1/environment)`,
    `  PagerDuty API:     ${sim.pagerDutyUrl}  (pd-key ${SIM_PD_KEY}; incidents ${Object.values(PD_INCIDENTS).join(', ')})`,
    `  JIRA:              ${sim.jiraUrl}  (jira-email ${SIM_JIRA_EMAIL}, jira-token ${SIM_JIRA_TOKEN})`,
    `  Approve a request: curl --cacert ${shellQuote(sim.caFile)} -X POST ${sim.url}/debug/access_requests/<id>/approve`,
    '',
    `  CA certificate:    ${sim.caFile}`,
    `  OCM config:        ${sim.ocmConfigPath}`,
    `  Backplane config:  ${sim.backplaneConfigPath}`,
    '',
    'Clusters:',
    ...clusters,
    '',
    'Point the CLI at it (paste into another shell):',
    '',
    `  export OCM_CONFIG=${shellQuote(sim.ocmConfigPath)} BACKPLANE_CONFIG=${shellQuote(sim.backplaneConfigPath)}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n')
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      port: {type: 'string'},
      dir: {type: 'string'},
      host: {type: 'string'},
      'token-ttl': {type: 'string'},
      clusters: {type: 'string'},
      faults: {type: 'boolean', default: false},
      quiet: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(USAGE)
    return
  }

  const sim = await startSimulator({
    port: nonNegativeInt('port', values.port),
    dir: values.dir,
    host: values.host,
    accessTokenTtlSeconds: nonNegativeInt('token-ttl', values['token-ttl']),
    quiet: values.quiet,
    clusters: nonNegativeInt('clusters', values.clusters),
    faults: values.faults,
  })
  process.stdout.write(describe(sim))

  let stopping = false
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`\n${signal}: stopping the simulator…\n`)
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }

  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
  process.exit(2)
})
