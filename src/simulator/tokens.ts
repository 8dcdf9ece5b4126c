// JWT issue / verify for the simulator: HS256 with a random secret per simulator instance,
// so a token is only accepted by the instance that issued it.
import {createHash, createHmac, randomBytes, randomUUID, timingSafeEqual} from 'node:crypto'

export const DEFAULT_USERNAME = 'sre-demo'
/** Lifetime of refresh tokens (written to ocm.json and returned by the token endpoint). */
export const REFRESH_TOKEN_TTL_SECONDS = 10 * 60 * 60

export type TokenType = 'Bearer' | 'Refresh'

export interface TokenClaims {
  iss: string
  sub: string
  preferred_username: string
  email: string
  iat: number
  exp: number
  typ: TokenType
  jti: string
  azp: string
  scope: string
  /** Refresh-token generation; revokeRefreshTokens() bumps the current one. */
  sim_gen?: number
}

export interface IssueOptions {
  ttlSeconds?: number
  username?: string
}

export type VerifyResult = {ok: true; claims: TokenClaims} | {ok: false; reason: string}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

export function emailFor(username: string): string {
  return `${username}@example.com`
}

/** A stable, UUID-shaped subject for a username (SSO subjects are UUIDs). */
export function subjectFor(username: string): string {
  const h = createHash('sha256').update(`sub:${username}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export class TokenService {
  private readonly secret = randomBytes(32)
  private refreshGeneration = 0

  constructor(
    private readonly issuer: string,
    private readonly accessTtlSeconds: number,
    private readonly clientId = 'cloud-services',
  ) {}

  issueAccessToken(opts: IssueOptions = {}): string {
    return this.sign(this.claims('Bearer', opts.ttlSeconds ?? this.accessTtlSeconds, opts.username))
  }

  issueRefreshToken(opts: IssueOptions = {}): string {
    const claims = this.claims('Refresh', opts.ttlSeconds ?? REFRESH_TOKEN_TTL_SECONDS, opts.username)
    claims.sim_gen = this.refreshGeneration
    return this.sign(claims)
  }

  /** Every refresh token issued so far stops working; tokens issued afterwards work. */
  revokeRefreshTokens(): void {
    this.refreshGeneration++
  }

  get accessTokenTtlSeconds(): number {
    return this.accessTtlSeconds
  }

  verify(token: string, expected: TokenType): VerifyResult {
    const parts = token.split('.')
    if (parts.length !== 3) return {ok: false, reason: 'Bearer token is malformed'}
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]

    let header: {alg?: unknown}
    let claims: TokenClaims
    try {
      header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as {alg?: unknown}
      claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as TokenClaims
    } catch {
      return {ok: false, reason: 'Bearer token is malformed'}
    }

    if (header.alg !== 'HS256') return {ok: false, reason: 'Bearer token signature is invalid'}
    const expectedSig = createHmac('sha256', this.secret).update(`${headerPart}.${payloadPart}`).digest()
    const actualSig = Buffer.from(signaturePart, 'base64url')
    if (actualSig.length !== expectedSig.length || !timingSafeEqual(actualSig, expectedSig)) {
      return {ok: false, reason: 'Bearer token signature is invalid'}
    }

    if (typeof claims !== 'object' || claims === null || claims.iss !== this.issuer) {
      return {ok: false, reason: 'Bearer token was not issued by this server'}
    }

    if (claims.typ !== expected) return {ok: false, reason: `Bearer token is a ${String(claims.typ)} token, not ${expected}`}
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds()) return {ok: false, reason: 'Bearer token is expired'}
    if (expected === 'Refresh' && claims.sim_gen !== this.refreshGeneration) {
      return {ok: false, reason: 'Refresh token has been revoked'}
    }

    return {ok: true, claims}
  }

  private claims(typ: TokenType, ttlSeconds: number, username = DEFAULT_USERNAME): TokenClaims {
    const iat = nowSeconds()
    return {
      iss: this.issuer,
      sub: subjectFor(username),
      preferred_username: username,
      email: emailFor(username),
      iat,
      exp: iat + ttlSeconds,
      typ,
      jti: randomUUID(),
      azp: this.clientId,
      scope: 'openid',
    }
  }

  private sign(claims: TokenClaims): string {
    const header = base64url(JSON.stringify({alg: 'HS256', typ: 'JWT', kid: 'backplane-simulator'}))
    const payload = base64url(JSON.stringify(claims))
    const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url')
    return `${header}.${payload}.${signature}`
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
