import {usageError} from '../errors.js'

/** A whole http(s) URL pasted by a person. PagerDuty sends links as `https:///host/…` (three slashes): read as `https://host/…`. */
export function parsePastedUrl(pasted: string, flag: string): URL {
  const raw = pasted.trim().replace(/^(https?:)\/\/\//i, '$1//')
  let parsed: URL | undefined
  try {
    parsed = new URL(raw)
  } catch {
    parsed = undefined
  }

  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.hostname === '') {
    throw usageError(`invalid ${flag} ${JSON.stringify(pasted)}`, 'paste a whole http(s):// URL, e.g. https://console-openshift-console.apps.example.com/k8s/ns/default/pods')
  }

  return parsed
}

/**
 * A URL pasted from PagerDuty (a console page, an alert) with its scheme and host swapped for the local server's:
 * path, query and fragment are kept. `flag` names the flag in the error line.
 */
export function spliceLocalUrl(local: string, pasted: string, flag: string): string {
  const parsed = parsePastedUrl(pasted, flag)
  return `${new URL(local).origin}${parsed.pathname}${parsed.search}${parsed.hash}`
}
