// When the login POST cannot reach backplane: which of the two is unreachable, the proxy or the backplane URL?
// (Go: "cannot connect to Backplane API URL", then points to its health-check.)
import {connect} from 'node:net'

import type {BackplaneClient} from '../backplane/client.js'

import {CliError} from '../errors.js'

const PROBE_MS = 3000
/** The codes of a request that never got an answer (http/errors.ts). */
export const CONNECT_FAILURES = new Set(['PROXY', 'TIMEOUT', 'UNREACHABLE'])

/** Does anything accept a TCP connection at the proxy's host and port? */
export function tcpReachable(proxy: string, timeoutMs = PROBE_MS): Promise<boolean> {
  let url: URL
  try {
    url = new URL(proxy)
  } catch {
    return Promise.resolve(false)
  }

  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  return new Promise((resolve) => {
    const socket = connect({host: url.hostname.replace(/^\[|\]$/g, ''), port})
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }

    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** The login's connection failure, saying which hop is down, and pointing to `backplane healthcheck`. */
export async function explainConnectFailure(backplane: BackplaneClient, error: CliError): Promise<CliError> {
  const proxy = backplane.proxy
  const [proxyUp, probe] = await Promise.all([proxy ? tcpReachable(proxy) : Promise.resolve(undefined), backplane.http.probe(`${backplane.baseUrl}/healthz`, {timeoutMs: PROBE_MS})])
  let which: string
  if (proxy && proxyUp === false) which = `the proxy ${safeOrigin(proxy)} is unreachable`
  else if (probe.status !== undefined) which = `backplane at ${backplane.baseUrl} answers its health check now (HTTP ${probe.status}), so retry`
  else if (proxy) which = `the proxy ${safeOrigin(proxy)} answers, but backplane at ${backplane.baseUrl} is unreachable through it`
  else which = `backplane at ${backplane.baseUrl} is unreachable`
  return new CliError(`${error.message}: ${which}`, {code: error.code, hint: 'run `backplane healthcheck` to check the VPN, the proxy and the backplane API'})
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'the configured proxy'
  }
}
