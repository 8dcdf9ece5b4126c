import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {findOcmConfigPath, loadOcmConfig, resolveOcmUrl, saveOcmTokens} from '../../../src/lib/ocm/config.js'

function home(): string {
  return mkdtempSync(join(tmpdir(), 'bp-ocm-'))
}

describe('OCM config', () => {
  it('finds $OCM_CONFIG, then ~/.ocm.json, then ~/.config/ocm/ocm.json', async () => {
    const h = home()
    expect(await findOcmConfigPath({HOME: h, OCM_CONFIG: '/x.json'})).to.deep.equal({exists: true, path: '/x.json'})
    expect(await findOcmConfigPath({HOME: h})).to.deep.equal({exists: false, path: join(h, '.ocm.json')})
    mkdirSync(join(h, '.config', 'ocm'), {recursive: true})
    writeFileSync(join(h, '.config', 'ocm', 'ocm.json'), '{}')
    expect((await findOcmConfigPath({HOME: h})).path).to.equal(join(h, '.config', 'ocm', 'ocm.json'))
    writeFileSync(join(h, '.ocm.json'), '{}')
    expect((await findOcmConfigPath({HOME: h})).path).to.equal(join(h, '.ocm.json'))
  })

  it('reads the fields with their defaults, and OCM_URL (with aliases) overrides url', async () => {
    const h = home()
    writeFileSync(join(h, '.ocm.json'), JSON.stringify({access_token: 'a', refresh_token: 'r', url: 'https://ocm.example.com/'}))
    const c = await loadOcmConfig({HOME: h})
    expect(c).to.include({accessToken: 'a', clientId: 'cloud-services', insecure: false, refreshToken: 'r', url: 'https://ocm.example.com'})
    expect(c.tokenUrl).to.equal('https://sso.redhat.com/auth/realms/redhat-external/protocol/openid-connect/token')
    expect((await loadOcmConfig({HOME: h, OCM_URL: 'stage'})).url).to.equal('https://api.stage.openshift.com')
    expect(resolveOcmUrl('Production')).to.equal('https://api.openshift.com')
    expect(resolveOcmUrl('int')).to.equal('https://api.integration.openshift.com')
    expect(() => resolveOcmUrl('ftp://x')).to.throw(/invalid OCM URL/)
  })

  it('says "not logged in" when there is no config', async () => {
    try {
      await loadOcmConfig({HOME: home()})
      expect.fail('should throw')
    } catch (error) {
      expect((error as Error).message).to.equal('not logged in to OCM')
    }
  })

  for (const [what, text, pattern] of [
    ['truncated JSON', '{"access_token": "a', /is not valid JSON/],
    ['a JSON list', '[1,2]', /must hold a JSON object/],
    ['a token of the wrong type', '{"access_token": 42}', /"access_token" must be a string, not a number/],
  ] as const) {
    it(`gives one line naming the file for ${what}`, async () => {
      const h = home()
      writeFileSync(join(h, '.ocm.json'), text)
      try {
        await loadOcmConfig({HOME: h})
        expect.fail('should throw')
      } catch (error) {
        expect((error as Error).message).to.match(pattern).and.include(join(h, '.ocm.json'))
        expect((error as Error).message).not.to.include('\n')
      }
    })
  }

  it('writes new tokens back atomically, 0600, keeping every other field', async () => {
    const h = home()
    const path = join(h, '.ocm.json')
    writeFileSync(path, JSON.stringify({access_token: 'old', custom: {keep: [1, 2]}, pager: 'less', refresh_token: 'r1'}), {mode: 0o644})
    const c = await loadOcmConfig({HOME: h})
    await saveOcmTokens(c, {accessToken: 'new', refreshToken: 'r2'})
    const data = JSON.parse(readFileSync(path, 'utf8'))
    expect(data).to.deep.equal({access_token: 'new', custom: {keep: [1, 2]}, pager: 'less', refresh_token: 'r2'})
    expect(statSync(path).mode & 0o777).to.equal(0o600)
  })
})
