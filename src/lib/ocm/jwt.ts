/** Claims backplane reads from an OCM (SSO) access token. The signature is not checked: the server does that. */
export interface JwtClaims {
  [key: string]: unknown
  email?: string
  exp?: number
  preferred_username?: string
  sub?: string
  username?: string
}

export function decodeJwt(token: string): JwtClaims | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' ? claims : undefined
  } catch {
    return undefined
  }
}

/** True when the token cannot be used for at least `marginSeconds` more. A token that is not a JWT is taken as it is. */
export function isExpiring(token: string, marginSeconds = 60, now = Date.now()): boolean {
  const claims = decodeJwt(token)
  if (!claims || typeof claims.exp !== 'number') return false
  return claims.exp * 1000 <= now + marginSeconds * 1000
}

export function usernameOf(token: string): string | undefined {
  const claims = decodeJwt(token)
  // `username` first, as Go ocm-backplane names its contexts by it.
  const name = claims?.username ?? claims?.preferred_username ?? claims?.email ?? claims?.sub
  return typeof name === 'string' && name !== '' ? name : undefined
}

export function expiryOf(token: string): Date | undefined {
  const exp = decodeJwt(token)?.exp
  return typeof exp === 'number' ? new Date(exp * 1000) : undefined
}
