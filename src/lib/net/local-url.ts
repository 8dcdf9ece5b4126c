import {usageError} from '../errors.js'

/**
 * A URL pasted from PagerDuty (a console page, an alert) with its scheme and host swapped for the local server's:
 * path, query and fragment are kept. PagerDuty sends links as `https:///host/…` (three slashes): that is read as
 * `https://host/…`. `flag` names the flag in the error line.
 */
export function spliceLocalUrl(local: string, pasted: string, flag: string): string {
  const raw = pasted.trim().replace(/^(https?:)\/\/\//i, '$1//')
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw usageError(`invalid ${flag} ${JSON.stringify(pasted)}`, 'paste a whole http(s):// URL, e.g. https://console-openshift-console.apps.example.com/k8s/ns/default/pods')
  }

  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw usageError(`invalid ${flag} ${JSON.stringify(pasted)}`, 'paste a whole http(s):// URL, e.g. https://console-openshift-console.apps.example.com/k8s/ns/default/pods')
  }

  const base = new URL(local)
  return `${base.origin}${parsed.pathname}${parsed.search}${parsed.hash}`
}
