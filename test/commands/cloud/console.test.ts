import {expect} from 'chai'
import {parse} from 'yaml'

import {SEED} from '../../../src/simulator/index.js'
import {backplane, userHome} from '../../support/cli.js'
import {fakeBrowser} from '../../support/fake-engine.js'
import {useSimulator} from '../../support/sim.js'
import {expectOneErrorLine} from '../../support/expect.js'

const AWS_LINK = /^https:\/\/signin\.aws\.amazon\.com\/federation\?Action=login&Issuer=backplane&Destination=https%3A%2F%2Fus-east-1\.console\.aws\.amazon\.com%2F\S+&SigninToken=[\w-]+$/

describe('cloud console', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('prints the console link of a cluster given by name, from GET /backplane/cloud/console/{id}', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['cloud', 'console', SEED.prodEast1.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    const [title, link, ...rest] = r.stdout.split('\n')
    expect(title).to.equal('Console Link:')
    expect(link).to.match(/^ {2}Link: /)
    expect(link!.slice('  Link: '.length)).to.match(AWS_LINK)
    expect(rest).to.deep.equal([''])
    const call = s.sim.requests.filter((q) => q.path.startsWith('/backplane/cloud/console/')).at(-1)!
    expect(call.method).to.equal('GET')
    expect(call.path).to.equal(`/backplane/cloud/console/${SEED.prodEast1.id}`)
    expect(call.headers.authorization).to.match(/^Bearer ey/)
  })

  it('uses the current backplane context without an argument; -o json, --json and -o yaml give the same object (with Go\'s ConsoleLink key)', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.gcp.name], u.env)).code).to.equal(0)
    const link = 'https://console.cloud.google.com/home/dashboard?project=gcp-cluster'
    const expected = {ConsoleLink: link, clusterId: SEED.gcp.id, consoleLink: link, region: 'us-central1'}
    const json = await backplane(['cloud', 'console', '-o', 'json'], u.env)
    expect(json.code, json.stderr).to.equal(0)
    expect(JSON.parse(json.stdout)).to.deep.equal(expected)
    const flag = await backplane(['cloud', 'console', '--json'], u.env)
    expect(flag.stdout).to.equal(json.stdout)
    const yaml = await backplane(['cloud', 'console', '--output=yaml'], u.env)
    expect(yaml.code, yaml.stderr).to.equal(0)
    expect(parse(yaml.stdout)).to.deep.equal(expected)
    const text = await backplane(['cloud', 'console'], u.env)
    expect(text.stdout).to.equal(`Console Link:\n  Link: ${expected.consoleLink}\n`)
  })

  it('-b and BACKPLANE_DEFAULT_OPEN_BROWSER (true/1, any case) open the link and still print it', async () => {
    const browser = fakeBrowser()
    const u = userHome(s.sim, browser.env)
    const printed: string[] = []
    for (const [args, env] of [
      [['-b'], {}],
      [[], {BACKPLANE_DEFAULT_OPEN_BROWSER: 'True'}],
      [[], {BACKPLANE_DEFAULT_OPEN_BROWSER: '1'}],
    ] as Array<[string[], Record<string, string>]>) {
      const r = await backplane(['cloud', 'console', SEED.gcp.id, ...args], {...u.env, ...env})
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stderr).to.equal('')
      printed.push(r.stdout.split('Link: ')[1]!.trim())
    }

    expect(browser.opened()).to.deep.equal(printed)
    // false/0 (any case) does not open it.
    for (const value of ['FALSE', '0']) {
      const r = await backplane(['cloud', 'console', SEED.gcp.id], {...u.env, BACKPLANE_DEFAULT_OPEN_BROWSER: value})
      expect(r.code, r.stderr).to.equal(0)
    }

    expect(browser.opened()).to.have.length(3)
  })

  it('a browser that cannot be opened is a warning; the link is still printed', async () => {
    const browser = fakeBrowser({fail: true})
    const u = userHome(s.sim, browser.env)
    const r = await backplane(['cloud', 'console', SEED.demo.name, '-b'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.match(/^Warning: could not open a browser \(the browser launcher exited with code \d+\): open the link yourself\n$/)
    expect(r.stdout).to.match(/^Console Link:\n {2}Link: https:\/\/signin\.aws\.amazon\.com\//)
  })

  describe('bad input: one line, exit 1 or 2', () => {
    it('an unparsable BACKPLANE_DEFAULT_OPEN_BROWSER', async () => {
      const u = userHome(s.sim)
      const r = await backplane(['cloud', 'console', SEED.demo.name], {...u.env, BACKPLANE_DEFAULT_OPEN_BROWSER: 'yes please'})
      expectOneErrorLine(r, 2, /^Error: invalid BACKPLANE_DEFAULT_OPEN_BROWSER "yes please" — set it to true or false \(or 1, 0, t, f, TRUE, FALSE\)$/)
      expect(r.stdout).to.equal('')
    })

    it('an unknown output format', async () => {
      const u = userHome(s.sim)
      expectOneErrorLine(await backplane(['cloud', 'console', SEED.demo.name, '-o', 'xml'], u.env), 2, /xml/)
    })

    it('no cluster argument and no current context', async () => {
      const u = userHome(s.sim)
      expectOneErrorLine(await backplane(['cloud', 'console'], u.env), 1, /^Error: no current kubeconfig context — log in first/)
    })

    it('a cluster OCM does not know, and one backplane refuses (403)', async () => {
      const u = userHome(s.sim)
      expectOneErrorLine(await backplane(['cloud', 'console', 'no-such-cluster'], u.env), 1, /^Error: no cluster matches "no-such-cluster"/)
      expectOneErrorLine(
        await backplane(['cloud', 'console', SEED.forbidden.name], u.env),
        1,
        new RegExp(`^Error: backplane answered 403 Forbidden: user sre-demo is not allowed to access cluster ${SEED.forbidden.id} — ask for access`),
      )
    })

    it('a backplane answer without a console link', async () => {
      const u = userHome(s.sim)
      s.sim.setFault(`GET /backplane/cloud/console/${SEED.demo.id}`, {status: 200, body: JSON.stringify({clusterID: SEED.demo.id, statusCode: 200})})
      try {
        expectOneErrorLine(await backplane(['cloud', 'console', SEED.demo.id], u.env), 1, /^Error: backplane answered without a console link for cluster /)
      } finally {
        s.sim.setFault(`GET /backplane/cloud/console/${SEED.demo.id}`, undefined)
      }
    })
  })
})
