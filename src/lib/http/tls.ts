// Tokens only over TLS: a bearer token (or a refresh token) is never sent over plain http:// except to this machine.
import {CliError} from '../errors.js'

/** 127.0.0.0/8, ::1 and localhost (and *.localhost, which resolves to it). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true
  if (/^::ffff:127\.\d+\.\d+\.\d+$/.test(host)) return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** May a token go to `url`? https anywhere; http only to a loopback address. */
export function tokenAllowed(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
}

/**
 * A URL that will receive a token, from `source` ("--url", "BACKPLANE_URL", "url in ~/.ocm.json", …):
 * plain http:// to anything but this machine is a clear error naming where the URL came from.
 */
export function requireTls(value: string, what: string, source: string, o: {exitCode?: number; hint?: string} = {}): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return value
  }

  if (tokenAllowed(url)) return value
  throw new CliError(`refusing to send the OCM token over plain http to ${url.protocol}//${url.host}: the ${what} from ${source} is not https://`, {
    code: 'INSECURE_URL',
    exitCode: o.exitCode ?? 1,
    hint: o.hint ?? `use an https:// URL in ${source} (plain http:// only to 127.0.0.1, ::1 or localhost)`,
  })
}
