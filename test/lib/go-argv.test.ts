import {expect} from 'chai'

import {goCompatArgv} from '../../src/lib/go-argv.js'

describe('goCompatArgv (what a Go ocm-backplane user types → what oclif parses)', () => {
  it('maps the topic aliases of the first word only', () => {
    expect(goCompatArgv(['scripts', 'list'])).to.deep.equal(['script', 'list'])
    expect(goCompatArgv(['scripts'])).to.deep.equal(['script'])
    expect(goCompatArgv(['managedJob', 'get', 'x'])).to.deep.equal(['managedjob', 'get', 'x'])
    expect(goCompatArgv(['managedjobs', 'create', 'sre/x'])).to.deep.equal(['managedjob', 'create', 'sre/x'])
    expect(goCompatArgv(['login', 'scripts'])).to.deep.equal(['login', 'scripts'])
    expect(goCompatArgv(['constructor'])).to.deep.equal(['constructor'])
  })

  it('-v alone stays the version; -v on a command is --verbosity=info, -v=debug is --verbosity=debug', () => {
    expect(goCompatArgv(['-v'])).to.deep.equal(['-v'])
    expect(goCompatArgv(['login', 'x', '-v'])).to.deep.equal(['login', 'x', '--verbosity=info'])
    expect(goCompatArgv(['status', '-v=debug'])).to.deep.equal(['status', '--verbosity=debug'])
  })

  it('a leading --verbosity (or -v) moves after the command; nothing after -- is touched', () => {
    expect(goCompatArgv(['--verbosity=debug', 'login', 'x'])).to.deep.equal(['login', 'x', '--verbosity=debug'])
    expect(goCompatArgv(['--verbosity', 'warn', 'status'])).to.deep.equal(['status', '--verbosity', 'warn'])
    expect(goCompatArgv(['-v', 'scripts', 'list', '--', 'x'])).to.deep.equal(['script', 'list', '--verbosity=info', '--', 'x'])
    expect(goCompatArgv(['console', '--', '-v', 'scripts'])).to.deep.equal(['console', '--', '-v', 'scripts'])
  })
})
