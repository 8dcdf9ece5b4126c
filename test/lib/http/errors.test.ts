import {expect} from 'chai'

import {describeHttpError, describeHttpResponse} from '../../../src/lib/http/errors.js'

describe('HTTP error lines', () => {
  it('shows the API message of a JSON error', () => {
    const e = describeHttpResponse('backplane', 403, 'Forbidden', '{"statusCode":403,"message":"user x may not access cluster y"}')
    expect(e.line).to.equal('backplane answered 403 Forbidden: user x may not access cluster y — ask for access to this cluster, or check that you are logged in to the right OCM environment')
  })

  it('shows OCM reasons and SSO error descriptions', () => {
    expect(describeHttpResponse('OCM', 404, 'Not Found', '{"kind":"Error","reason":"Cluster \'x\' not found"}').message).to.equal("OCM answered 404 Not Found: Cluster 'x' not found")
    expect(describeHttpResponse('SSO', 400, undefined, '{"error":"invalid_grant","error_description":"Token is not active"}').message).to.equal('SSO answered 400: Token is not active')
  })

  it('shows a short excerpt of an HTML body, and says when the body is empty', () => {
    const html = `<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1>${'x'.repeat(500)}</body></html>`
    const e = describeHttpResponse('backplane', 502, 'Bad Gateway', html)
    expect(e.message).to.match(/^backplane answered 502 Bad Gateway \("502 Bad Gateway x+…"\)$/)
    expect(e.message.length).to.be.lessThan(140)
    expect(describeHttpResponse('backplane', 500, 'Internal Server Error', '').message).to.equal('backplane answered 500 Internal Server Error with an empty body')
  })

  it('never shows a token that an error body echoes', () => {
    const e = describeHttpResponse('backplane', 401, 'Unauthorized', '{"message":"bad token eyJhbGciOi.eyJzdWIiOi.sig in Authorization: Bearer abc.def"}')
    expect(e.message).not.to.match(/eyJ|abc\.def/)
  })

  it('names connection failures, timeouts and TLS problems', () => {
    const url = new URL('https://bp.example.com/backplane/login/x')
    expect(describeHttpError({code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', options: {url}}, 'backplane').message).to.equal('cannot reach backplane at https://bp.example.com (connection refused)')
    expect(describeHttpError({code: 'ETIMEDOUT', message: 'Timeout awaiting', options: {url}}, 'backplane', {timeoutMs: 30_000}).message).to.equal('backplane at https://bp.example.com did not answer within 30s')
    // What timed out: the request (never its query), how many attempts, and whether the headers had come.
    const timeout = {code: 'ETIMEDOUT', message: 'Timeout awaiting', name: 'TimeoutError', options: {method: 'GET', url: 'https://bp.example.com/backplane/x?token=t'}, request: {retryCount: 2}}
    expect(describeHttpError(timeout, 'backplane', {timeoutMs: 5000}).message).to.equal('backplane at https://bp.example.com did not answer GET /backplane/x within 5s (3 attempts)')
    expect(describeHttpError({...timeout, response: {headers: {}, statusCode: 200}}, 'backplane', {timeoutMs: 5000}).message).to.equal('backplane at https://bp.example.com answered GET /backplane/x but did not send the whole body within 5s (3 attempts)')
    expect(describeHttpError({code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify', options: {url}}, 'OCM').hint).to.match(/BACKPLANE_CA_FILE/)
    expect(describeHttpError({code: 'ECONNREFUSED', message: 'x', options: {url}}, 'backplane', {proxy: 'http://127.0.0.1:9'}).message).to.match(/through proxy http:\/\/127\.0\.0\.1:9/)
  })
})
