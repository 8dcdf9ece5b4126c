import {expect} from 'chai'

import {editDistance, suggestCommand} from '../../../src/lib/output/suggest.js'

const IDS = ['login', 'logout', 'project', 'status', 'token', 'version', 'config:get', 'config:set', 'config:path', 'cloud:credentials', 'cloud:console', 'help', 'autocomplete']

describe('command suggestions', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('login', 'login')).to.equal(0)
    expect(editDistance('logni', 'login')).to.equal(1)
    expect(editDistance('lgin', 'login')).to.equal(1)
    expect(editDistance('', 'abc')).to.equal(3)
    expect(editDistance('kitten', 'sitting')).to.equal(3)
  })

  it('suggests the closest command, comparing as many words as the command has', () => {
    expect(suggestCommand('logni', IDS)).to.equal('login')
    expect(suggestCommand('logut', IDS)).to.equal('logout')
    expect(suggestCommand('statsu', IDS)).to.equal('status')
    expect(suggestCommand('logni:my-cluster', IDS)).to.equal('login')
    expect(suggestCommand('config:gte:url', IDS)).to.equal('config:get')
    expect(suggestCommand('confg:set:url:x', IDS)).to.equal('config:set')
    expect(suggestCommand('cloud:credentails', IDS)).to.equal('cloud:credentials')
    expect(suggestCommand('STATUS', IDS)).to.equal('status')
  })

  it('suggests nothing when nothing is plausibly a typo', () => {
    expect(suggestCommand('xyzzy', IDS)).to.equal(undefined)
    expect(suggestCommand('deploy', IDS)).to.equal(undefined)
    expect(suggestCommand('kubectl:get:pods', IDS)).to.equal(undefined)
  })
})
