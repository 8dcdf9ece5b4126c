import {expect} from 'chai'

import type {Script} from '../../../../src/lib/backplane/scripts.js'

import {CliError} from '../../../../src/lib/errors.js'
import {declaredParams, parseParams, validateParams} from '../../../../src/lib/workflows/managedjob/params.js'

function usageFailure(fn: () => unknown): CliError {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    expect((error as CliError).exitCode).to.equal(2)
    return error as CliError
  }

  throw new Error('expected a usage error')
}

const restart: Script = {
  canonicalName: 'sre/restart-pods',
  envs: [
    {description: 'namespace', key: 'NAMESPACE', optional: false},
    {description: 'selector', key: 'LABEL_SELECTOR', optional: true},
    {key: 'REASON'}, // optional missing: required
  ],
}

describe('managedjob parameters: parseParams', () => {
  it('splits on the first =, trims key and value', () => {
    expect(parseParams(['NAMESPACE=demo', ' LABEL_SELECTOR = app=web,tier=front ', 'EMPTY='])).to.deep.equal({
      EMPTY: '',
      LABEL_SELECTOR: 'app=web,tier=front',
      NAMESPACE: 'demo',
    })
  })

  it('a repeated key: the last one wins', () => {
    expect(parseParams(['A=1', 'B=2', 'A=3'])).to.deep.equal({A: '3', B: '2'})
  })

  it('no flags: an empty object', () => {
    expect(parseParams()).to.deep.equal({})
    expect(parseParams([])).to.deep.equal({})
  })

  it('a value without = or with an empty key is a usage error naming it', () => {
    expect(usageFailure(() => parseParams(['A=1', 'NAMESPACE'])).line).to.equal('invalid parameter "NAMESPACE": expected KEY=VALUE — pass each parameter as -p KEY=VALUE')
    expect(usageFailure(() => parseParams(['=value'])).message).to.equal('invalid parameter "=value": the key is empty')
    expect(usageFailure(() => parseParams(['  =x'])).message).to.match(/the key is empty/)
  })
})

describe('managedjob parameters: validateParams', () => {
  it('accepts every required parameter, with or without optional ones', () => {
    expect(() => validateParams(restart, {NAMESPACE: 'a', REASON: 'r'})).not.to.throw()
    expect(() => validateParams(restart, {LABEL_SELECTOR: 'x', NAMESPACE: 'a', REASON: 'r'})).not.to.throw()
  })

  it('an envs entry without optional: true is required', () => {
    expect(declaredParams(restart).required.map((e) => e.key)).to.deep.equal(['NAMESPACE', 'REASON'])
    expect(declaredParams(restart).optional.map((e) => e.key)).to.deep.equal(['LABEL_SELECTOR'])
  })

  it('missing required parameters (absent or empty) are named, with how to pass them', () => {
    const e = usageFailure(() => validateParams(restart, {NAMESPACE: ''}))
    expect(e.message).to.equal('script sre/restart-pods needs parameters NAMESPACE, REASON')
    expect(e.hint).to.equal("pass -p NAMESPACE=<value> -p REASON=<value> (see 'backplane script describe sre/restart-pods')")
  })

  it('undeclared parameters are refused, listing what the script accepts', () => {
    const e = usageFailure(() => validateParams(restart, {NAMESPACE: 'a', NAMESPCE: 'typo', REASON: 'r'}))
    expect(e.line).to.equal('script sre/restart-pods has no parameter NAMESPCE — it accepts NAMESPACE, LABEL_SELECTOR, REASON')
  })

  it('a script that declares none takes none', () => {
    for (const script of [{canonicalName: 'sre/health'}, {canonicalName: 'sre/health', envs: []}, {canonicalName: 'sre/health', envs: [{description: 'no key'}]}]) {
      expect(() => validateParams(script, {})).not.to.throw()
      expect(usageFailure(() => validateParams(script, {X: '1', Y: '2'})).line).to.equal('script sre/health takes no parameters, but got X, Y — run it without -p')
    }
  })
})
