// Who else is on the cluster: the backplane service accounts (one per logged-in SRE) in the four backplane user
// namespaces, seen through the cluster proxy right after login (Go: pkg/login/additional_login_detector.go).
import {createHash} from 'node:crypto'

import type {HttpClient} from '../http/client.js'

export const SESSION_ROLES = ['cee', 'mcs-tier-two', 'lpsre', 'srep'] as const
export const SESSION_NAMESPACE_PREFIX = 'openshift-backplane-'
export const SESSION_LABEL = 'managed.openshift.io/backplane=true'
/** The check never holds a login up for longer than this. */
export const SESSIONS_TIMEOUT_MS = 200

export interface OtherSessions {
  /** Other sessions per role (namespace without its prefix), roles with none left out. */
  byRole: Record<string, number>
  total: number
}

export type SessionsResult = {ok: false; reason: string} | ({ok: true} & OtherSessions)

/** Go's fallback name of a user's service account when the cluster will not say who we are. */
export function serviceAccountNameOf(username: string): string {
  return createHash('md5').update(username).digest('hex')
}

/** `system:serviceaccount:<namespace>:<name>` → its parts. */
export function splitServiceAccount(user: string): undefined | {name: string; namespace: string} {
  const parts = user.split(':')
  return parts.length >= 4 && parts[0] === 'system' && parts[1] === 'serviceaccount' ? {name: parts[3]!, namespace: parts[2]!} : undefined
}

/**
 * The other backplane sessions on the cluster behind `server` (a backplane proxy URL ending in /). Who we are comes
 * from a SelfSubjectReview, asked at the same time as the four lists; if the cluster will not say, our account is
 * the md5 of the username in any of the namespaces. Never throws: a failure, or the deadline, is `{ok: false}`.
 */
export async function otherSessions(http: HttpClient, server: string, token: string, username: string, timeoutMs = SESSIONS_TIMEOUT_MS): Promise<SessionsResult> {
  const signal = AbortSignal.timeout(timeoutMs)
  const base = server.endsWith('/') ? server : `${server}/`
  const opts = {headers: {authorization: `Bearer ${token}`}, noRetry: true, signal, timeoutMs}
  const whoami = http
    .json<{status?: {userInfo?: {username?: unknown}}}>('POST', `${base}apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      ...opts,
      json: {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'},
    })
    .then((r) => (typeof r.body?.status?.userInfo?.username === 'string' ? splitServiceAccount(r.body.status.userInfo.username) : undefined))
    .catch(() => undefined)
  const lists = SESSION_ROLES.map((role) =>
    http
      .json<{items?: unknown}>('GET', `${base}api/v1/namespaces/${SESSION_NAMESPACE_PREFIX}${role}/serviceaccounts`, {...opts, searchParams: {labelSelector: SESSION_LABEL}})
      .then((r) => (Array.isArray(r.body?.items) ? r.body.items : [])),
  )
  try {
    const [me, ...items] = await Promise.all([whoami, ...lists])
    const self = me ?? {name: serviceAccountNameOf(username), namespace: undefined}
    const byRole: Record<string, number> = {}
    SESSION_ROLES.forEach((role, i) => {
      const namespace = `${SESSION_NAMESPACE_PREFIX}${role}`
      const names = items[i]!.map((sa) => (sa as {metadata?: {name?: unknown}})?.metadata?.name).filter((n): n is string => typeof n === 'string')
      const count = names.filter((n) => !(n === self.name && (self.namespace === undefined || self.namespace === namespace))).length
      if (count > 0) byRole[role] = count
    })
    return {byRole, ok: true, total: Object.values(byRole).reduce((a, b) => a + b, 0)}
  } catch (error) {
    if (signal.aborted) return {ok: false, reason: `no answer within ${timeoutMs} ms`}
    return {ok: false, reason: error instanceof Error ? error.message : String(error)}
  }
}

/** BACKPLANE_SESSIONS_TIMEOUT_MS: the check's deadline in milliseconds (default 200; for slow links and tests). */
export function sessionsTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.BACKPLANE_SESSIONS_TIMEOUT_MS)
  return Number.isFinite(ms) && ms > 0 && ms <= 60_000 ? ms : SESSIONS_TIMEOUT_MS
}

/** `2 other backplane sessions on this cluster: cee (1), srep (1)`; undefined when there are none. */
export function otherSessionsLine(s: OtherSessions): string | undefined {
  if (s.total === 0) return undefined
  const roles = Object.entries(s.byRole)
    .map(([role, n]) => `${role} (${n})`)
    .join(', ')
  return `${s.total} other backplane session${s.total === 1 ? '' : 's'} on this cluster: ${roles}`
}
