import {expect} from 'chai'
import {execFileSync} from 'node:child_process'

import {exportLine, shellQuote, shellWord} from '../../src/lib/shell.js'
import {thrownCliError} from '../support/expect.js'

describe('shell quoting', () => {
  it('shellQuote makes any value one literal word for bash', () => {
    for (const value of ["it's", '$(touch PWNED)', '`id`', 'a b\tc', 'new\nline', '', '\\', '"quoted"']) {
      const echoed = execFileSync('bash', ['-c', `printf %s ${shellQuote(value)}`], {encoding: 'utf8'})
      expect(echoed).to.equal(value)
    }
  })

  it('shellWord leaves plainly safe words bare and quotes the rest', () => {
    expect(shellWord('abc+/=')).to.equal('abc+/=')
    expect(shellWord("it's $HOME; rm -rf")).to.equal("'it'\\''s $HOME; rm -rf'")
  })

  it('exportLine quotes the value and refuses a name that is not a shell variable', () => {
    expect(exportLine('HIVE_NS', 'uhc-x')).to.equal("export HIVE_NS='uhc-x'")
    for (const name of ['', '1X', 'A-B', 'X;rm', 'A B', 'X$(id)']) {
      expect(thrownCliError(() => exportLine(name, 'v')).code).to.equal('BAD_NAME')
    }
  })
})
