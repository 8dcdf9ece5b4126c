import {captureOutput} from '@oclif/test'
import {expect} from 'chai'

import type {Services} from '../src/lib/services.js'

import {BaseCommand, toCliError} from '../src/base-command.js'
import Token from '../src/commands/token.js'
import {CliError} from '../src/lib/errors.js'
import {ROOT} from './support/cli.js'

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`

describe('BaseCommand', () => {
  const original = BaseCommand.createServices
  afterEach(() => {
    BaseCommand.createServices = original
  })

  it('builds its services through a factory that tests can replace', async () => {
    const token = jwt({exp: 4_102_444_800, preferred_username: 'fake'})
    let built = 0
    BaseCommand.createServices = (ctx) => {
      built++
      expect(ctx.userAgent).to.match(/^backplane-cli\//)
      return {ocm: {accessToken: async () => token}} as unknown as Services
    }

    const {stdout} = await captureOutput(() => Token.run(['--exec-credential'], ROOT))
    expect(built).to.equal(1)
    expect(JSON.parse(stdout)).to.deep.equal({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: {expirationTimestamp: '2100-01-01T00:00:00Z', token},
    })
  })

  it('renders a failure of a service as one line and exit 1', async () => {
    BaseCommand.createServices = () => ({ocm: {accessToken: async () => {
      throw new CliError('not logged in to OCM', {hint: "run 'ocm login'"})
    }}}) as unknown as Services
    const {error, stderr} = await captureOutput(() => Token.run([], ROOT))
    expect(stderr).to.equal("Error: not logged in to OCM — run 'ocm login'\n")
    expect((error as {oclif?: {exit?: number}})?.oclif?.exit).to.equal(1)
  })

  it('maps oclif parse errors to usage errors (exit 2) and hides anything token-like', () => {
    const parse = toCliError(Object.assign(new Error('Nonexistent flag: --x\nSee more help with --help'), {oclif: {exit: 2}}), 'login')
    expect(parse).to.include({exitCode: 2, message: 'Nonexistent flag: --x'})
    expect(parse.hint).to.equal("see 'backplane login --help'")
    const leak = toCliError(new Error('request failed with Authorization: Bearer eyJabc.def.ghi'))
    expect(leak.message).not.to.include('eyJ')
    expect(leak.exitCode).to.equal(1)
  })
})
