import {expect} from 'chai'

import {decodeJwt, expiryOf, isExpiring, usernameOf} from '../../../src/lib/ocm/jwt.js'

export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${enc({alg: 'none', typ: 'JWT'})}.${enc(claims)}.sig`
}

describe('JWT helpers', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')

  it('decodes claims and rejects what is not a JWT', () => {
    expect(decodeJwt(fakeJwt({sub: 'x'}))).to.deep.equal({sub: 'x'})
    expect(decodeJwt('opaque-token')).to.equal(undefined)
    expect(decodeJwt('a.!!!.c')).to.equal(undefined)
  })

  it('treats a token expiring within 60 s as expiring', () => {
    const at = (secs: number) => fakeJwt({exp: now / 1000 + secs})
    expect(isExpiring(at(-10), 60, now)).to.equal(true)
    expect(isExpiring(at(59), 60, now)).to.equal(true)
    expect(isExpiring(at(61), 60, now)).to.equal(false)
    expect(isExpiring('opaque', 60, now)).to.equal(false)
  })

  it('finds the username and the expiry', () => {
    expect(usernameOf(fakeJwt({preferred_username: 'jdoe', email: 'j@x'}))).to.equal('jdoe')
    // Go's claim wins when both are there (its contexts are named by it).
    expect(usernameOf(fakeJwt({preferred_username: 'jdoe', username: 'jdoe-sso'}))).to.equal('jdoe-sso')
    expect(usernameOf(fakeJwt({email: 'j@x'}))).to.equal('j@x')
    expect(usernameOf('opaque')).to.equal(undefined)
    expect(expiryOf(fakeJwt({exp: 1_767_225_600}))?.toISOString()).to.equal('2026-01-01T00:00:00.000Z')
  })
})
