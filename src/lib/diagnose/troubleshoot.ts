// `backplane config troubleshoot`: what this CLI would use and whether it works — the config file, the proxy,
// the backplane URL, the current kubeconfig context and the OCM login — as [V]/[X]/[-] lines, then a command to try.
import {promises as fsp} from 'node:fs'

import type {Services} from '../services.js'

import {maskUrlPassword} from '../backplane/config-edit.js'
import {backplaneConfigPath} from '../backplane/config.js'
import {CliError} from '../errors.js'
import {readJsonObject} from '../fs/json-file.js'
import {findCurrentBackplaneCluster} from '../kube/current-cluster.js'
import {expiryOf} from '../ocm/jwt.js'
import {shellWord} from '../shell.js'
import {type CheckResult, failed, notice, passed} from './checks.js'

export interface TroubleshootReport {
  checks: CheckResult[]
  /** A command to run next, to see the network path with curl's eyes. */
  suggestion?: string
}

const SOURCE: Record<string, string> = {config: 'proxy-url in the backplane config', env: 'HTTPS_PROXY', flag: '--proxy'}

export async function troubleshoot(services: Services): Promise<TroubleshootReport> {
  const checks: CheckResult[] = [await configFile(services.ctx.env)]
  const url = await attempt('Backplane URL', async () => {
    const {source, url} = await services.backplaneUrlSource()
    return {result: passed('Backplane URL', `${url} (from ${source})`), value: url}
  })
  const proxy = await attempt('Proxy', () => proxyCheck(services, url.value))
  checks.push(proxy.result, url.result)
  checks.push((await attempt('Kubeconfig context', async () => ({result: await contextCheck(services, proxy.value)}))).result)
  checks.push((await attempt('OCM login', async () => ({result: await ocmCheck(services)}))).result)
  const suggestion = url.value ? `${proxy.value ? `HTTPS_PROXY=${shellWord(proxy.value)} ` : ''}curl -Iv ${shellWord(`${url.value}/healthz`)}` : undefined
  return {checks, suggestion}
}

/** A check whose setting cannot be read fails with that error's line, instead of ending the command. */
async function attempt<T>(check: string, fn: () => Promise<{result: CheckResult; value?: T}>): Promise<{result: CheckResult; value?: T}> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    return {result: failed(check, error.message, error.hint ?? 'see above')}
  }
}

async function configFile(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const check = 'Config file'
  const path = backplaneConfigPath(env)
  let mode: number
  try {
    mode = (await fsp.stat(path)).mode & 0o777
  } catch {
    return notice(check, `${path} does not exist: defaults apply ('backplane config set url …' creates it)`)
  }

  try {
    await readJsonObject(path, 'backplane config', '')
  } catch (error) {
    return failed(check, (error as Error).message, `fix ${path}, or move it away and run 'backplane config set'`)
  }

  const octal = mode.toString(8).padStart(4, '0')
  if (mode & 0o077) return failed(check, `${path} is valid JSON, but its mode is ${octal}: others can read it (it may hold pd-key, jira-token)`, `chmod 600 ${path}`)
  return passed(check, `${path}, valid JSON, mode ${octal}`)
}

async function proxyCheck(services: Services, backplaneUrl: string | undefined): Promise<{result: CheckResult; value?: string}> {
  const check = 'Proxy'
  const candidates = await services.proxyCandidates()
  if (!candidates) return {result: notice(check, 'none configured (--proxy, HTTPS_PROXY, proxy-url): backplane is reached directly')}
  const from = SOURCE[candidates.source]
  if (!backplaneUrl) return {result: notice(check, `${candidates.proxies.map(maskUrlPassword).join(', ')} (from ${from}); not probed without a backplane URL`), value: candidates.proxies[0]}
  const probes = await services.probeProxies(candidates.proxies, `${backplaneUrl}/healthz`)
  const working = probes.find((p) => p.ok)
  const each = probes.map((p) => `${maskUrlPassword(p.proxy)} ${p.ok ? 'reaches backplane' : `does not (${p.error ?? `answered ${p.status}`})`}`).join('; ')
  if (!working) return {result: failed(check, `${each} (from ${from})`, `fix ${from}, or run 'backplane healthcheck --proxy'`), value: candidates.proxies[0]}
  return {result: passed(check, `${each} (from ${from})`), value: working.proxy}
}

async function contextCheck(services: Services, proxy: string | undefined): Promise<CheckResult> {
  const check = 'Kubeconfig context'
  const set = await services.kubeconfig()
  const current = set.currentContext()
  if (!current) return notice(check, "no current context ('backplane login <cluster>' writes one)")
  const found = findCurrentBackplaneCluster(set)
  if (!found) {
    const ctx = set.context(current.name)
    const server = ctx?.cluster ? set.clusterServer(ctx.cluster) : undefined
    return notice(check, `"${current.name}" is not a backplane context${server ? ` (server ${server})` : ''}`)
  }

  const what = `"${found.context}" is a backplane context (cluster ${found.clusterId})`
  if ((found.proxyUrl ?? '') === (proxy ?? '')) return passed(check, `${what}; its proxy-url ${found.proxyUrl ? `${maskUrlPassword(found.proxyUrl)} ` : '(none) '}matches`)
  const has = found.proxyUrl ? maskUrlPassword(found.proxyUrl) : 'none'
  const want = proxy ? maskUrlPassword(proxy) : 'none'
  return failed(check, `${what}, but its proxy-url is ${has} and the config's proxy is ${want}`, "run 'backplane login' again to rewrite it, so oc and kubectl use the same proxy")
}

async function ocmCheck(services: Services): Promise<CheckResult> {
  const check = 'OCM login'
  const config = await services.ocm.config()
  const expiry = config.accessToken ? expiryOf(config.accessToken) : undefined
  const left = expiry ? expiry.getTime() - Date.now() : undefined
  const state = expiry === undefined ? 'no access token' : left! > 0 ? `token valid until ${expiry.toISOString()} (${Math.round(left! / 60_000)} min left)` : `token expired at ${expiry.toISOString()}`
  if (!config.refreshToken) {
    if (left !== undefined && left > 0) return notice(check, `${config.path}: ${state}; no refresh token, so it cannot be renewed`)
    return failed(check, `${config.path}: ${state}, and no refresh token`, "run 'ocm login'")
  }

  try {
    await services.ocm.refresh()
  } catch (error) {
    const line = error instanceof CliError ? error.message : String(error)
    return failed(check, `${config.path}: ${state}; the refresh failed: ${line}`, "run 'ocm login'")
  }

  return passed(check, `${config.path}: ${state}; a refresh works`)
}

