import {expect} from 'chai'

import {checkClusterId, checkJobIdArg, checkJobIdFromServer, urlPath, urlSegment} from '../../src/lib/ids.js'
import {thrownCliError} from '../support/expect.js'

describe('ids and URL segments', () => {
  it('urlSegment encodes, and refuses ".", ".." and the empty string', () => {
    expect(urlSegment('a/b?c#d e')).to.equal('a%2Fb%3Fc%23d%20e')
    expect(urlSegment('job-1.2_x')).to.equal('job-1.2_x')
    for (const bad of ['', '.', '..']) {
      const error = thrownCliError(() => urlSegment(bad))
      expect(error.line).to.equal(`refusing to use "${bad}" as a URL path segment — give a real id (see the list command)`)
    }

    expect(urlPath('https://h/backplane/script/', 'abc', 'job', 'j1')).to.equal('https://h/backplane/script/abc/job/j1')
    expect(() => urlPath('https://h/x', 'abc', '..')).to.throw(/refusing to use "\.\."/)
  })

  it('OCM cluster ids are [a-z0-9]{1,64}; anything else names the value and its source', () => {
    expect(checkClusterId('2k8tkkbopdekdqovgqkhchct0g9c0s2q', 'OCM')).to.equal('2k8tkkbopdekdqovgqkhchct0g9c0s2q')
    for (const bad of ['.', '..', '../../x', '', 'A1', 'a'.repeat(65), 'a b', 'inj$(touch x)', 'a\u001b[2J']) {
      const error = thrownCliError(() => checkClusterId(bad, 'OCM'))
      expect(error.exitCode).to.equal(1)
      expect(error.message).to.match(/^OCM gave an invalid cluster id "/)
      expect(error.message).not.to.match(/[\u0000-\u001F]/)
    }

    expect(thrownCliError(() => checkClusterId('a\u001b[2J', 'OCM')).message).to.equal('OCM gave an invalid cluster id "a\\x1b[2J"')
    expect(thrownCliError(() => checkClusterId(7, 'OCM')).message).to.equal('OCM gave an invalid cluster id "7"')
  })

  it('job ids are [A-Za-z0-9][A-Za-z0-9._-]*: a usage error for an argument, exit 1 for a server value', () => {
    expect(checkJobIdArg('job-2hxk4m9qzt')).to.equal('job-2hxk4m9qzt')
    for (const bad of ['.', '..', '', '-x', 'a/b', 'a b', '.hidden']) expect(thrownCliError(() => checkJobIdArg(bad)).exitCode).to.equal(2)
    expect(thrownCliError(() => checkJobIdFromServer('..', 'the new job')).line).to.match(/^backplane answered the new job with an invalid job id "\.\." — /)
  })
})
