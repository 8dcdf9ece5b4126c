import {usageError} from '../errors.js'

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** A Kubernetes namespace name: an RFC 1123 label (lowercase alphanumerics and '-', at most 63 characters). */
export function validateNamespace(name: string): string {
  if (name.length > 63 || !RFC1123_LABEL.test(name)) {
    throw usageError(`invalid namespace "${name}"`, "a namespace is lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit")
  }

  return name
}
