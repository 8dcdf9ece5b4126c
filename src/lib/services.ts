import type {BackplaneConfig} from './backplane/config.js'
import type {KubeconfigSet} from './kube/kubeconfig.js'

import {BackplaneClient} from './backplane/client.js'
import {isGovcloud, loadBackplaneConfig, pagerDutyKey, loadCaBundle, validateHttpUrl} from './backplane/config.js'
import {maskUrlPassword} from './backplane/config-edit.js'
import {CliError} from './errors.js'
import {warnDeprecatedOnce} from './backplane/deprecation.js'
import {createHttp, type HttpClient, PROBE_TIMEOUT_MS, type ProbeResult} from './http/client.js'
import {requireTls} from './http/tls.js'
import {ClusterDirectory} from './ocm/clusters.js'
import {envProxyFor, OcmSession} from './ocm/session.js'
import {JIRA_BASE_URL, JiraClient} from './jira/client.js'
import {PAGERDUTY_API_URL, PagerDutyClient} from './pagerduty/incidents.js'

export interface ServiceContext {
  env: NodeJS.ProcessEnv
  /** Per-request timeout (BACKPLANE_TIMEOUT, in seconds; default 30). */
  timeoutMs?: number
  /** `--proxy`, when the command has it. */
  proxyFlag?: string
  /** Step lines (`--verbosity=info`): which URL, proxy and cluster were chosen. */
  step?: (line: string) => void
  trace?: (line: string) => void
  /** `--url`, when the command has it. */
  urlFlag?: string
  userAgent: string
  /** A warning for the user (stderr); default: none. */
  warn?: (line: string) => void
}

export interface ProxyCandidates {
  proxies: string[]
  source: 'config' | 'env' | 'flag'
}

export interface ProxyProbe extends ProbeResult {
  /** It answered 2xx. */
  ok: boolean
  proxy: string
}

/**
 * Everything a command talks to, built on first use (a command that never calls backplane never
 * reads its config or loads the HTTP stack). Tests replace any of it through BaseCommand.createServices.
 */
export class Services {
  private backplaneConfigPromise?: Promise<{config: BackplaneConfig; path: string}>
  private backplanePromise?: Promise<BackplaneClient>
  private backplaneUrlPromise?: Promise<{source: string; url: string}>
  private caPromise?: Promise<string | undefined>
  private clusterDirectory?: ClusterDirectory
  /** The once-per-version Deprecated-Client warning, when an answer carried the header (awaited by settle()). */
  deprecatedClient?: Promise<void>
  private ocmSession?: OcmSession

  constructor(readonly ctx: ServiceContext) {}

  get clusters(): ClusterDirectory {
    this.clusterDirectory ??= new ClusterDirectory(this.ocm)
    return this.clusterDirectory
  }

  get ocm(): OcmSession {
    this.ocmSession ??= new OcmSession({
      caLoader: () => this.ca(),
      env: this.ctx.env,
      timeoutMs: this.ctx.timeoutMs,
      trace: this.ctx.trace,
      userAgent: this.ctx.userAgent,
    })
    return this.ocmSession
  }

  backplane(): Promise<BackplaneClient> {
    this.backplanePromise ??= this.buildBackplane()
    return this.backplanePromise
  }

  backplaneConfig(): Promise<{config: BackplaneConfig; path: string}> {
    this.backplaneConfigPromise ??= loadBackplaneConfig(this.ctx.env)
    return this.backplaneConfigPromise
  }

  /** The custom CA bundle (BACKPLANE_CA_FILE, else ca-file), trusted for every HTTPS call. */
  ca(): Promise<string | undefined> {
    this.caPromise ??= (async () => {
      const file = this.ctx.env.BACKPLANE_CA_FILE || (await this.backplaneConfig()).config['ca-file']
      return file ? loadCaBundle(file) : undefined
    })()
    return this.caPromise
  }

  /** The kubeconfig files kubectl reads (`$KUBECONFIG`, else ~/.kube/config); the yaml parser loads only here. */
  async kubeconfig(paths?: string[]): Promise<KubeconfigSet> {
    const {kubeconfigPaths, KubeconfigSet} = await import('./kube/kubeconfig.js')
    return KubeconfigSet.load(paths ?? kubeconfigPaths(this.ctx.env))
  }

  /** The backplane URL: --url, BACKPLANE_URL, else what OCM's environment advertises (config url is deprecated, as in Go). */
  async backplaneUrl(): Promise<string> {
    return (await this.backplaneUrlSource()).url
  }

  /** The backplane URL and where it came from (for `config troubleshoot`); worked out once per run. */
  backplaneUrlSource(): Promise<{source: string; url: string}> {
    this.backplaneUrlPromise ??= this.resolveBackplaneUrl().then((found) => {
      this.ctx.step?.(`backplane URL ${found.url} (from ${found.source})`)
      return found
    })
    return this.backplaneUrlPromise
  }

  private async resolveBackplaneUrl(): Promise<{source: string; url: string}> {
    const hint = 'set --url or BACKPLANE_URL to an https:// URL, or check the OCM environment (OCM_URL)'
    // Every source is checked the same way: a valid http(s) URL, and https:// unless it is this machine.
    const checked = (value: string, source: string, what: string, o: {exitCode?: number; label?: string} = {}) => ({
      source,
      url: requireTls(validateHttpUrl(value, what, hint), 'backplane URL', o.label ?? source, {exitCode: o.exitCode ?? 1, ...(o.label ? {hint} : {})}),
    })
    if (this.ctx.urlFlag) return checked(this.ctx.urlFlag, '--url', 'backplane URL (--url)', {exitCode: 2})
    if (this.ctx.env.BACKPLANE_URL) return checked(this.ctx.env.BACKPLANE_URL, 'BACKPLANE_URL', 'backplane URL (BACKPLANE_URL)')
    const [{config, path}, fromOcm] = await Promise.all([this.backplaneConfig(), this.clusters.backplaneUrl()])
    // Go's ocm-backplane ignores config url ("Manual URL configuration is deprecated") and takes OCM's: so do we,
    // so that an old config never silently points this CLI at another server than the Go tool's.
    const configured = config.url ? config.url.replace(/\/+$/, '') : undefined
    if (!fromOcm) {
      if (!configured) throw new CliError('OCM does not advertise a backplane URL for this environment', {hint})
      this.ctx.warn?.(`OCM advertises no backplane URL: using url ${configured} from ${path} (deprecated; Go ocm-backplane ignores it — use BACKPLANE_URL or --url)`)
      return checked(configured, `url in ${path} (deprecated)`, `backplane URL (url in ${path})`)
    }

    const found = checked(fromOcm, 'the OCM environment', 'backplane URL from OCM', {label: "the OCM environment's backplane_url"})
    if (configured && configured !== found.url) {
      this.ctx.warn?.(
        `url ${configured} in ${path} differs from the OCM environment's backplane_url ${found.url}: using ${found.url}, as Go ocm-backplane does (config url is deprecated: remove it with 'backplane config set url ""', or use BACKPLANE_URL or --url)`,
      )
    }

    return found
  }

  /** Where the backplane proxy comes from: --proxy, HTTPS_PROXY, else the config's proxy-url list (each entry checked); none in govcloud. */
  async proxyCandidates(): Promise<ProxyCandidates | undefined> {
    const hint = 'use an http:// or https:// proxy URL'
    if (await this.govcloud()) {
      this.ctx.step?.('govcloud: no proxy')
      return undefined
    }

    if (this.ctx.proxyFlag) return {proxies: [validateHttpUrl(this.ctx.proxyFlag, 'proxy (--proxy)', hint)], source: 'flag'}
    const fromEnv = this.ctx.env.HTTPS_PROXY || this.ctx.env.https_proxy
    if (fromEnv) return {proxies: [validateHttpUrl(fromEnv, 'proxy (HTTPS_PROXY)', hint)], source: 'env'}
    const list = (await this.backplaneConfig()).config['proxy-url'] ?? []
    if (list.length === 0) return undefined
    return {proxies: list.map((p) => validateHttpUrl(p, 'proxy-url', hint)), source: 'config'}
  }

  /** FedRAMP (govcloud / GOVCLOUD): no proxies at all and no PagerDuty, as in Go. */
  async govcloud(): Promise<boolean> {
    return isGovcloud((await this.backplaneConfig()).config, this.ctx.env)
  }

  /**
   * The proxies for AWS calls, as Go's GetAwsProxy: BACKPLANE_AWS_PROXY, else aws-proxy in the config, else the
   * backplane proxy candidates; none in govcloud.
   */
  async awsProxyCandidates(): Promise<string[]> {
    if (await this.govcloud()) return []
    const hint = 'use an http:// or https:// proxy URL'
    const fromEnv = this.ctx.env.BACKPLANE_AWS_PROXY
    if (fromEnv) return [validateHttpUrl(fromEnv, 'AWS proxy (BACKPLANE_AWS_PROXY)', hint)]
    const list = (await this.backplaneConfig()).config['aws-proxy'] ?? []
    if (list.length > 0) return list.map((p) => validateHttpUrl(p, 'aws-proxy', hint))
    return (await this.proxyCandidates())?.proxies ?? []
  }

  /** GET `target` through each proxy, all at once; one result per proxy, in the order given. */
  async probeProxies(proxies: string[], target: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProxyProbe[]> {
    const ca = await this.ca()
    return Promise.all(
      proxies.map(async (proxy) => {
        const http = await createHttp({ca, proxy, service: 'proxy', timeoutMs, trace: this.ctx.trace, userAgent: this.ctx.userAgent})
        const result = await http.probe(target, {timeoutMs})
        const ok = result.status !== undefined && result.status >= 200 && result.status < 300
        if (!ok) this.ctx.trace?.(`proxy ${proxy} did not reach ${target}`)
        return {...result, ok, proxy}
      }),
    )
  }

  /** The proxy for backplane calls: --proxy, HTTPS_PROXY, else the first of config proxy-url whose /healthz answers. */
  async proxy(backplaneUrl: string): Promise<string | undefined> {
    const candidates = await this.proxyCandidates()
    if (!candidates) return undefined
    const from = {config: 'proxy-url in the backplane config', env: 'HTTPS_PROXY', flag: '--proxy'}[candidates.source]
    if (candidates.proxies.length === 1) {
      this.ctx.step?.(`proxy ${maskUrlPassword(candidates.proxies[0])} (from ${from})`)
      return candidates.proxies[0]
    }

    const probes = await this.probeProxies(candidates.proxies, `${backplaneUrl}/healthz`)
    const working = probes.find((p) => p.ok)
    if (working) {
      this.ctx.step?.(`proxy ${maskUrlPassword(working.proxy)} (the first of ${from} that answered)`)
      return working.proxy
    }

    throw new CliError(`none of the proxies in proxy-url reaches ${backplaneUrl}`, {hint: 'check proxy-url in the backplane config, or pass --proxy'})
  }

  /** PagerDuty's REST API with the user's `pd-key` (a clear error without one). */
  async pagerDuty(): Promise<PagerDutyClient> {
    const {config, path} = await this.backplaneConfig()
    if (isGovcloud(config, this.ctx.env)) throw new CliError('PagerDuty is not used in govcloud (FedRAMP), as in Go', {code: 'GOVCLOUD', hint: 'name the cluster instead of --pd'})
    const key = pagerDutyKey(config, this.ctx.env)
    if (!key) throw new CliError(`no PagerDuty API key in ${path}`, {code: 'NO_PD_KEY', hint: 'set one with `backplane config set pd-key <token>`'})
    const hint = 'set BACKPLANE_PAGERDUTY_URL or pagerduty-api-url to an https:// URL'
    const fromEnv = this.ctx.env.BACKPLANE_PAGERDUTY_URL
    const url = fromEnv ? validateHttpUrl(fromEnv, 'PagerDuty URL (BACKPLANE_PAGERDUTY_URL)', hint) : (config['pagerduty-api-url'] ?? PAGERDUTY_API_URL).replace(/\/+$/, '')
    const http = await this.externalHttp('PagerDuty', url)
    return new PagerDutyClient(http, url, key)
  }

  /** JIRA's base URL: config jira-base-url, else https://redhat.atlassian.net. */
  async jiraBaseUrl(): Promise<string> {
    const {config, path} = await this.backplaneConfig()
    return validateHttpUrl(config['jira-base-url'] ?? JIRA_BASE_URL, `JIRA URL (jira-base-url in ${path})`, 'set jira-base-url to an https:// URL')
  }

  /** JIRA's REST API with basic auth: JIRA_EMAIL / JIRA_API_TOKEN, else jira-email / jira-token (a clear error without). */
  async jira(): Promise<JiraClient> {
    const {config} = await this.backplaneConfig()
    const token = this.ctx.env.JIRA_API_TOKEN || config['jira-token']
    const email = this.ctx.env.JIRA_EMAIL || config['jira-email']
    if (!token) throw new CliError('no JIRA API token', {code: 'NO_JIRA_TOKEN', hint: 'set JIRA_API_TOKEN, or run `backplane config set jira-token <token>`'})
    if (!email) throw new CliError('no JIRA email', {code: 'NO_JIRA_EMAIL', hint: 'set JIRA_EMAIL, or run `backplane config set jira-email <email>`'})
    const url = await this.jiraBaseUrl()
    return new JiraClient(await this.externalHttp('JIRA', url), url, email, token)
  }

  /** An HTTP client for a service outside OCM and backplane (PagerDuty, JIRA): the custom CA, HTTPS_PROXY minus NO_PROXY. */
  private async externalHttp(service: string, url: string): Promise<HttpClient> {
    const ca = await this.ca()
    return createHttp({ca, proxy: envProxyFor(url, this.ctx.env), service, timeoutMs: this.ctx.timeoutMs, trace: this.ctx.trace, userAgent: this.ctx.userAgent})
  }

  private async buildBackplane(): Promise<BackplaneClient> {
    const url = await this.backplaneUrl()
    const [ca, proxy] = await Promise.all([this.ca(), this.proxy(url)])
    const version = /\/(\S+)$/.exec(this.ctx.userAgent)?.[1] ?? 'unknown'
    const http: HttpClient = await createHttp({
      ca,
      // Go sends its version on every backplane call; a Deprecated-Client answer is a warning once per version.
      headers: {'Backplane-Version': version},
      onResponse: (headers) => {
        if (String(headers['deprecated-client'] ?? '').toLowerCase() === 'true') this.deprecatedClient ??= warnDeprecatedOnce(this.ctx.env, version)
      },
      proxy,
      service: 'backplane',
      timeoutMs: this.ctx.timeoutMs,
      trace: this.ctx.trace,
      userAgent: this.ctx.userAgent,
    })
    return new BackplaneClient(url, http, () => this.ocm.accessToken(), proxy)
  }
}
