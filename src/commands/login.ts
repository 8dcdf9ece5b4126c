import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {backplaneFlags} from '../flags.js'
import {login, type LoginResult} from '../lib/workflows/login.js'
import {loginSource} from '../lib/workflows/login-source.js'
import {validateNamespace} from '../lib/kube/names.js'
import {otherSessionsLine, sessionsTimeoutFromEnv} from '../lib/kube/sessions.js'
import {clusterInfo, keyValueLines, limitedSupportReasons} from '../lib/output/cluster-info.js'
import {accessProtection} from '../lib/workflows/accessrequest.js'
import {exportLine} from '../lib/shell.js'
import {usageError} from '../lib/errors.js'
import {kubeconfigPaths} from '../lib/kube/kubeconfig.js'
import {switchBack} from '../lib/workflows/switch-back.js'
import {visible} from '../lib/output/visible.js'

const PS1_ENV = 'KUBE_PS1_CLUSTER_FUNCTION'
const PS1_DOC = 'https://github.com/openshift/backplane-cli/blob/main/docs/PS1-setup.md'

const RELATION = {'hive-shard': 'Hive shard', 'management-cluster': 'management cluster', 'service-cluster': 'service cluster'} as const

export default class Login extends BaseCommand {
  static args = {
    cluster: Args.string({description: 'cluster id, external id, name, or name pattern (%prod%); or --pd / --ohss instead; - for the previous backplane context'}),
  }

  static description = `Log in to a cluster through backplane.

Resolves the cluster through OCM, asks backplane for access, and writes a kubeconfig context whose server is the backplane proxy and whose user gets fresh OCM tokens from $HOME/.kube/ocm-token. Afterwards oc and kubectl target the cluster.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> my-cluster', description: 'Log in by name (or id, or external id)'},
    {command: '<%= config.bin %> <%= command.id %> %prod-east% -n openshift-monitoring', description: 'Log in by pattern, in a namespace'},
    {command: 'source <(<%= config.bin %> <%= command.id %> my-cluster --multi)', description: 'Log in with a kubeconfig of its own, in this shell only'},
    {command: '<%= config.bin %> <%= command.id %> --pd Q1ABC2DEF3GHIJ', description: 'Log in to the cluster of a PagerDuty incident (id or https://<org>.pagerduty.com/incidents/<id>); its page becomes the elevation reason'},
    {command: '<%= config.bin %> <%= command.id %> --ohss OHSS-1234', description: 'Log in to the cluster of a JIRA OHSS ticket; its page becomes the elevation reason'},
    {command: '<%= config.bin %> <%= command.id %> -', description: 'Switch back to the previous backplane context (like kubectx -)'},
    {command: '<%= config.bin %> <%= command.id %> my-cluster --cluster-info', description: 'Also show the cluster\'s state, version, provider and region'},
    {command: '<%= config.bin %> <%= command.id %> my-cluster --manager', description: 'Log in to the cluster that manages it (HyperShift management cluster, or Hive shard) and print its namespaces there'},
    {command: 'source <(<%= config.bin %> <%= command.id %> my-hcp-cluster --service --multi)', description: 'Log in to the service cluster of a HyperShift cluster, in this shell only (also exports MC_NAME)'},
  ]

  static flags = {
    ...backplaneFlags,
    'cluster-info': Flags.boolean({description: 'print the cluster\'s id, name, state, version, provider and region (default: display-cluster-info in the backplane config)'}),
    'kube-path': Flags.directory({description: 'with --multi: directory for <clusterId>/config (default ~/.kube)', dependsOn: ['multi']}),
    multi: Flags.boolean({char: 'm', description: 'write ~/.kube/<clusterId>/config instead of the default kubeconfig, and print the export KUBECONFIG line'}),
    namespace: Flags.string({char: 'n', default: 'default', description: 'namespace of the new context'}),
    sessions: Flags.boolean({allowNo: true, default: true, description: 'say how many other backplane sessions the cluster has (--no-sessions, or show-other-sessions: false in the config, to skip it)'}),
    ohss: Flags.string({description: 'log in to the cluster of this JIRA OHSS ticket (OHSS-1234) instead of naming one; needs jira-email and jira-token (or JIRA_EMAIL, JIRA_API_TOKEN)'}),
    pd: Flags.string({description: 'log in to the cluster of this PagerDuty incident (id or URL) instead of naming one; needs pd-key in the backplane config'}),
    readonly: Flags.boolean({description: 'ask backplane for read-only access'}),
    manager: Flags.boolean({
      description: 'log in to the cluster that manages this one instead (HyperShift: its management cluster; classic: its Hive shard), and print the namespaces to look in as export lines',
    }),
    service: Flags.boolean({
      description: 'log in to the service cluster of this HyperShift cluster instead, and print export MC_NAME=<management cluster> (with --manager, as in Go: also its namespaces there)',
    }),
  }

  static summary = 'Log in to a cluster through backplane'

  async run(): Promise<LoginResult | Record<string, unknown>> {
    const {args, flags} = await this.parse(Login)
    if (args.cluster === '-') return this.switchBack(flags)
    validateNamespace(flags.namespace)
    const source = await loginSource(this.services, {cluster: args.cluster, ohss: flags.ohss, pd: flags.pd}, this.clusterPicker())
    const {config} = await this.services.backplaneConfig()
    const result = await login(this.services, {
      cliCommand: [process.execPath, `${this.config.root}/bin/run.js`],
      cluster: source?.cluster,
      clusterKey: source?.cluster.id ?? args.cluster!,
      env: process.env,
      kubePath: flags['kube-path'],
      multi: flags.multi,
      namespace: flags.namespace,
      pick: this.clusterPicker(),
      readonly: flags.readonly,
      reason: source?.reason,
      related: flags.manager && flags.service ? 'both' : flags.manager ? 'manager' : flags.service ? 'service' : undefined,
      sessions: flags.sessions && config['show-other-sessions'] !== false,
      sessionsTimeoutMs: sessionsTimeoutFromEnv(process.env),
      warn: (line) => this.warnLine(line),
    })
    await this.services.deprecatedClient
    const related = result.related
    const json = {
      cluster: {id: result.cluster.id, name: result.cluster.name},
      context: result.context,
      kubeconfig: result.kubeconfig,
      server: result.server,
      ...(result.reasons ? {reasons: result.reasons} : {}),
      ...(result.sessions?.ok && result.sessions.total > 0 ? {otherSessions: {byRole: result.sessions.byRole, total: result.sessions.total}} : {}),
      ...(related ? {exports: related.exports, relation: related.kind, target: {id: related.target.id, name: related.target.name}} : {}),
    }
    if (this.jsonEnabled()) return json

    const showInfo = flags['cluster-info'] || config['display-cluster-info'] === true
    // Go's kube-ps1 reminder (disable-kube-ps1-warning silences it); only on a terminal, where a person reads it.
    if (process.stderr.isTTY && !process.env[PS1_ENV] && config['disable-kube-ps1-warning'] !== true) {
      this.warnLine(`${PS1_ENV} is not set: set up kube-ps1 to see which cluster you are on (${PS1_DOC}); 'backplane config set disable-kube-ps1-warning true' silences this`)
    }

    // With --multi, stdout carries only the export line (for `source <(…)`); the rest goes to stderr.
    // Every line is one line, whatever the names from OCM hold (control characters, newlines too, escaped).
    const out = flags.multi ? (text: string) => this.note(text) : (text: string) => this.log(text)
    const say = (line: string) => out(visible(line))
    const of = related ? `, the ${RELATION[related.kind]} of ${related.target.name} (${related.target.id}),` : ''
    if (source) say(`${source.via} is about ${source.cluster.name} (${source.cluster.id}).`)
    say(`Logged in to ${result.cluster.name} (${result.cluster.id})${of} through backplane.`)
    say(`Context ${result.context} in ${result.kubeconfig} is now current: oc and kubectl target this cluster.`)
    if (source?.reason) say(`Elevation reason recorded for this context: ${source.reason} (backplane elevate -- … uses it).`)
    if (showInfo) out(keyValueLines(clusterInfo(result.cluster, await accessProtection(this.services, result.cluster.id))))
    const limited = limitedSupportReasons(result.cluster)
    if (limited > 0) this.warnLine(visible(`${result.cluster.name} is in limited support (${limited} reason${limited === 1 ? '' : 's'}): see ocm get /api/clusters_mgmt/v1/clusters/${result.cluster.id}/limited_support_reasons`))
    const sessions = result.sessions
    if (sessions?.ok) {
      const line = otherSessionsLine(sessions)
      if (line) say(line)
    } else if (sessions && this.serviceFlags.verbose) {
      this.note(`backplane: could not look for other backplane sessions: ${visible(sessions.reason)}`)
    }
    if (related?.kind === 'service-cluster') {
      say(`The manifestworks of ${related.target.name}: oc get manifestworks -n ${related.exports.MC_NAME} -l api.openshift.com/id=${related.target.id}`)
    }

    if (related) {
      say(related.kind === 'service-cluster' ? `The management cluster of ${related.target.name}:` : `The namespaces of ${related.target.name} on ${result.cluster.name}:`)
    }

    for (const [name, value] of Object.entries(related?.exports ?? {})) this.log(exportLine(name, value))
    if (flags.multi) this.log(exportLine('KUBECONFIG', result.kubeconfig))
    return json
  }

  /** `login -`: back to the previous backplane context of the login history. */
  private async switchBack(flags: Record<string, unknown>): Promise<Record<string, unknown>> {
    const other = ['multi', 'pd', 'ohss', 'manager', 'service', 'readonly', 'kube-path', 'cluster-info'].find((f) => flags[f])
    if (other) throw usageError(`'login -' takes no --${other}`, "'login -' only switches back to the previous backplane context")
    const result = await switchBack(process.env, kubeconfigPaths(process.env), (line) => this.warnLine(line))
    if (!this.jsonEnabled()) this.log(visible(`Switched to context ${result.context} (cluster ${result.clusterId}) in ${result.kubeconfig}.`))
    return {...result}
  }
}
