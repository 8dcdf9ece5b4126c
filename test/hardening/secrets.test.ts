import {expect} from 'chai'
import {readFileSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {SEED} from '../../src/simulator/index.js'
import {backplane, transcript, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'

describe('secrets', function () {
  this.timeout(60_000)
  const s = useSimulator()

  for (const [how, args, env] of [
    ['--verbose', ['--verbose'], {}],
    ['DEBUG=backplane*', [], {DEBUG: 'backplane*'}],
  ] as const) {
    it(`${how} traces method, URL, status and timing of each request, with no token`, async () => {
      const u = userHome(s.sim, env)
      const token = JSON.parse(readFileSync(u.ocmConfig, 'utf8')).access_token
      const r = await backplane(['login', SEED.demo.name, ...args], u.env)
      expect(r.code, r.stderr).to.equal(0)
      const lines = r.stderr.trim().split('\n')
      expect(lines.some((l) => /^backplane: GET https:\/\/127\.0\.0\.1:\d+\/api\/clusters_mgmt\/v1\/clusters\?search=.* 200 \d+ms$/.test(l)), r.stderr).to.equal(true)
      expect(lines.some((l) => new RegExp(`^backplane: POST https://127\\.0\\.0\\.1:\\d+/backplane/login/${SEED.demo.id} 200 \\d+ms$`).test(l)), r.stderr).to.equal(true)
      expect(r.stderr + r.stdout).not.to.include(token)
      expect(r.stderr).not.to.match(/authorization|bearer/i)
    })
  }

  it('files holding secrets are 0600 and the directories login creates are 0700', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    expect(statSync(u.kubeconfig).mode & 0o777).to.equal(0o600)
    expect(statSync(u.ocmConfig).mode & 0o777).to.equal(0o600)
    const cacheDir = join(u.home, '.kube', 'cache', 'backplane')
    expect(statSync(cacheDir).mode & 0o777).to.equal(0o700)
    expect(statSync(dirname(cacheDir)).mode & 0o777).to.equal(0o700)
  })

  it('the suite keeps a transcript of every command it runs (checked for tokens after all tests)', () => {
    expect(transcript.length).to.be.greaterThan(0)
    expect(transcript.every((t) => Array.isArray(t.args))).to.equal(true)
  })
})
