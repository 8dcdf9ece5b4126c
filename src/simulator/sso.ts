// The SSO role: a Keycloak-like OpenID Connect token endpoint (refresh_token grant only).
import {REFRESH_TOKEN_TTL_SECONDS} from './tokens.js'
import {type RequestContext, type SimState, sendJson} from './http.js'

export const REALM_PATH = '/auth/realms/redhat-external'
export const TOKEN_PATH = `${REALM_PATH}/protocol/openid-connect/token`

function oauthError(ctx: RequestContext, status: number, error: string, description: string): void {
  sendJson(ctx.res, status, {error, error_description: description})
}

/** Handles requests under /auth; returns false when the path is not an SSO path. */
export function handleSso(ctx: RequestContext, state: SimState): boolean {
  if (ctx.path === `${REALM_PATH}/.well-known/openid-configuration` && ctx.method === 'GET') {
    sendJson(ctx.res, 200, {
      issuer: state.issuer,
      token_endpoint: state.tokenUrl,
      grant_types_supported: ['refresh_token'],
    })
    return true
  }

  if (ctx.path !== TOKEN_PATH) return false

  if (ctx.method !== 'POST') {
    oauthError(ctx, 405, 'invalid_request', 'HTTP method not allowed, use POST')
    return true
  }

  const contentType = ctx.req.headers['content-type'] ?? ''
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    oauthError(ctx, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded')
    return true
  }

  const form = new URLSearchParams(ctx.body)
  const clientId = form.get('client_id') ?? basicAuthClientId(ctx.req.headers.authorization)
  if (!clientId) {
    oauthError(ctx, 401, 'invalid_client', 'Missing parameter: client_id')
    return true
  }

  const grantType = form.get('grant_type')
  if (grantType !== 'refresh_token') {
    oauthError(ctx, 400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType ?? '(missing)'}`)
    return true
  }

  const refreshToken = form.get('refresh_token')
  const verified = refreshToken ? state.tokens.verify(refreshToken, 'Refresh') : undefined
  if (!verified?.ok) {
    oauthError(ctx, 400, 'invalid_grant', 'Token is not active')
    return true
  }

  const username = verified.claims.preferred_username
  sendJson(
    ctx.res,
    200,
    {
      access_token: state.tokens.issueAccessToken({username}),
      expires_in: state.tokens.accessTokenTtlSeconds,
      refresh_expires_in: REFRESH_TOKEN_TTL_SECONDS,
      refresh_token: state.tokens.issueRefreshToken({username}),
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'openid',
    },
    {'Cache-Control': 'no-store', Pragma: 'no-cache'},
  )
  return true
}

function basicAuthClientId(header: string | undefined): string | undefined {
  const match = header ? /^basic\s+(\S+)$/i.exec(header) : null
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const id = decodeURIComponent(decoded.split(':')[0] ?? '')
  return id || undefined
}
