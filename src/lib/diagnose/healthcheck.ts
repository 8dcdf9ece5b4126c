// `backplane healthcheck`: the network path to backplane, checked in Go backplane-cli's order —
// VPN (an interface and vpn-check-endpoint), proxy (proxy-check-endpoint through every configured proxy,
// in parallel), then the backplane API itself (through the proxy that answered).
import type {ProxyCandidates, Services} from '../services.js'

import {maskUrlPassword} from '../backplane/config-edit.js'
import {CliError} from '../errors.js'
import {createHttp, PROBE_TIMEOUT_MS} from '../http/client.js'
import {type CheckResult, failed, passed, skipped} from './checks.js'
import {interfaceSource, VPN_PREFIXES, vpnInterfaces} from './interfaces.js'

export const CHECKS = {backplane: 'Backplane API', proxy: 'Proxy connectivity', vpn: 'VPN connectivity'} as const

export interface HealthcheckOptions {
  /** Only these checks (both false: all three). */
  proxy: boolean
  vpn: boolean
}

export async function healthcheck(services: Services, o: HealthcheckOptions): Promise<CheckResult[]> {
  const all = !o.vpn && !o.proxy
  const [vpn, proxy] = await Promise.all([
    all || o.vpn ? timed(CHECKS.vpn, () => checkVpn(services)) : undefined,
    all || o.proxy ? timed(CHECKS.proxy, () => checkProxy(services)) : undefined,
  ])
  const results = [vpn, proxy].filter((r) => r !== undefined).map((r) => r.result)
  if (all) {
    const viaProxy = proxy!.proxy
    const backplane =
      proxy!.result.status === 'failed'
        ? skipped(CHECKS.backplane, 'no configured proxy answered', 0)
        : (await timed(CHECKS.backplane, async () => ({result: await checkBackplane(services, viaProxy)}))).result
    results.push(backplane)
  }

  return results
}

async function timed<T extends {result: CheckResult}>(check: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now()
  let value: T
  try {
    value = await fn()
  } catch (error) {
    // A setting that cannot even be read (a broken config, no OCM login) fails the check, not the command.
    if (!(error instanceof CliError)) throw error
    value = {result: failed(check, error.message, error.hint ?? 'see the error above')} as T
  }

  value.result.ms = Date.now() - started
  return value
}

async function directHttp(services: Services, service: string, proxy?: string) {
  const {ctx} = services
  return createHttp({ca: await services.ca(), proxy, service, timeoutMs: PROBE_TIMEOUT_MS, trace: ctx.trace, userAgent: ctx.userAgent})
}

async function checkVpn(services: Services): Promise<{result: CheckResult}> {
  const check = CHECKS.vpn
  const names = interfaceSource.names(services.ctx.env)
  const up = vpnInterfaces(names)
  if (up.length === 0) {
    const seen = names.length > 0 ? names.join(', ') : 'none'
    return {result: failed(check, `no VPN interface (${VPN_PREFIXES.map((p) => `${p}*`).join(', ')}; found: ${seen})`, 'connect to the VPN, then rerun')}
  }

  const endpoint = (await services.backplaneConfig()).config['vpn-check-endpoint']
  if (!endpoint) {
    return {result: failed(check, `${up.join(', ')} up, but vpn-check-endpoint is not set`, "set it: 'backplane config set vpn-check-endpoint <internal URL>'")}
  }

  const probe = await (await directHttp(services, 'the VPN check endpoint')).probe(endpoint)
  if (probe.status === 200) return {result: passed(check, `${up.join(', ')} up; ${endpoint} answered 200`)}
  const why = probe.error ?? `${endpoint} answered ${probe.status} (expected 200)`
  return {result: failed(check, `${up.join(', ')} up, but ${why}`, 'reconnect the VPN: it does not reach the internal network')}
}

async function checkProxy(services: Services): Promise<{proxy?: string; result: CheckResult}> {
  const check = CHECKS.proxy
  const candidates = await services.proxyCandidates()
  if (!candidates) return {result: skipped(check, 'no proxy configured: backplane is reached directly')}
  const target = (await services.backplaneConfig()).config['proxy-check-endpoint'] ?? `${await services.backplaneUrl()}/healthz`
  const probes = await services.probeProxies(candidates.proxies, target)
  const answered = probes.filter((p) => p.ok)
  const each = probes.map((p) => `${maskUrlPassword(p.proxy)} ${p.ok ? `ok (${p.status})` : `failed (${p.error ?? `answered ${p.status}`})`}`).join('; ')
  const detail = `${answered.length} of ${probes.length} answered ${target}: ${each}`
  if (answered.length === 0) return {result: failed(check, detail, proxyHint(candidates))}
  return {proxy: answered[0].proxy, result: passed(check, detail)}
}

function proxyHint(c: ProxyCandidates): string {
  if (c.source === 'flag') return 'check the --proxy URL'
  if (c.source === 'env') return 'check HTTPS_PROXY, or unset it to use proxy-url from the backplane config'
  return "check proxy-url in the backplane config ('backplane config get proxy-url') and that the VPN is up"
}

async function checkBackplane(services: Services, proxy: string | undefined): Promise<CheckResult> {
  const check = CHECKS.backplane
  const url = await services.backplaneUrl()
  const through = proxy ? ` through ${maskUrlPassword(proxy)}` : ''
  // Any HTTP answer means the API is reachable (as Go's HEAD check); only no answer fails.
  const probe = await (await directHttp(services, 'backplane', proxy)).probe(url, {method: 'HEAD'})
  if (probe.status !== undefined) return passed(check, `${url} answered (HTTP ${probe.status})${through}`)
  return failed(check, `${url}${through}: ${probe.error}`, proxy ? 'the proxy works but not to backplane: check the backplane URL' : 'check the backplane URL, the VPN, or set proxy-url')
}
