// The bad-input sweep: each command fed malformed arguments, configs and server replies.
// Every case: one line on stderr starting "Error: ", exit 1 or 2, no stack trace, nothing on stdout,
// and no file (kubeconfig, OCM config, backplane config) changed.
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'

import {SEED} from '../../src/simulator/index.js'
import type {Fault} from '../../src/simulator/index.js'
import {backplane, userHome, type UserHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'

interface Case {
  args: string[]
  code: 1 | 2
  /** What the one line must say. */
  expect: RegExp
  fault?: [string, Fault]
  /** Prepare the user's files (after a successful login when `loggedIn`). */
  setup?: (u: UserHome) => void
  loggedIn?: boolean
  env?: Record<string, string>
}

const SEARCH = 'GET /api/clusters_mgmt/v1/clusters'
const LOGIN = 'POST /backplane/login/'
const huge = (n: number) => `{"pad": "${'x'.repeat(n)}"}`

const argCases: Record<string, Case> = {
  'login: unknown flag': {args: ['login', 'demo-cluster', '--frobnicate'], code: 2, expect: /Nonexistent flag: --frobnicate/},
  'login: extra argument': {args: ['login', 'demo-cluster', 'other'], code: 2, expect: /Unexpected argument: other/},
  'login: flag without value': {args: ['login', 'demo-cluster', '-n'], code: 2, expect: /Flag --namespace expects a value|namespace/},
  'login: --kube-path without --multi': {args: ['login', 'demo-cluster', '--kube-path', '/tmp'], code: 2, expect: /--multi/},
  'login: cluster key with quotes': {args: ['login', "x' or '1'='1"], code: 2, expect: /invalid cluster/},
  'login: namespace too long': {args: ['login', 'demo-cluster', '-n', 'a'.repeat(64)], code: 2, expect: /invalid namespace/},
  'logout: extra argument': {args: ['logout', 'a', 'b'], code: 2, expect: /Unexpected argument: b/},
  'logout: cluster key with ..': {args: ['logout', '../../etc'], code: 2, expect: /invalid cluster/},
  'project: invalid name': {args: ['project', '-bad-'], code: 2, expect: /Nonexistent flag|invalid namespace/},
  'project: no context': {args: ['project', 'default'], code: 1, expect: /no current kubeconfig context/},
  'token: unknown flag': {args: ['token', '--raw'], code: 2, expect: /Nonexistent flag: --raw/},
  'login: --url that is not a URL': {args: ['login', 'demo-cluster', '--url', 'not a url'], code: 2, expect: /invalid backplane URL \(--url\) "not a url"/},
  'login: --proxy that is not a URL': {args: ['login', 'demo-cluster', '--proxy', 'ftp://x'], code: 2, expect: /invalid proxy \(--proxy\)/},
}

const configCases: Record<string, Case> = {
  'OCM config: truncated JSON': {args: ['login', 'demo-cluster'], code: 1, expect: /OCM config .* is not valid JSON/, setup: (u) => writeFileSync(u.ocmConfig, '{"access_token": "ey')},
  'OCM config: wrong types': {args: ['token'], code: 1, expect: /"refresh_token" must be a string, not a list/, setup: (u) => writeFileSync(u.ocmConfig, '{"refresh_token": [1]}')},
  'OCM config: scopes not a list': {args: ['token'], code: 1, expect: /"scopes" must be a list of strings/, setup: (u) => writeFileSync(u.ocmConfig, '{"scopes": "openid"}')},
  'OCM config: huge file': {args: ['token'], code: 1, expect: /OCM config .* is too large/, setup: (u) => writeFileSync(u.ocmConfig, huge(2 * 1024 * 1024))},
  'OCM config: a directory': {args: ['token'], code: 1, expect: /cannot read/, env: {OCM_CONFIG: '/'}},
  'OCM_URL not a URL': {args: ['login', 'demo-cluster'], code: 2, expect: /invalid OCM URL "nowhere"/, env: {OCM_URL: 'nowhere'}},
  'backplane config: truncated JSON': {args: ['login', 'demo-cluster'], code: 1, expect: /backplane config .* is not valid JSON/, setup: (u) => writeFileSync(u.env.BACKPLANE_CONFIG!, '{"url": ')},
  'backplane config: proxy-url of the wrong type': {args: ['login', 'demo-cluster'], code: 1, expect: /"proxy-url" must be a string or a list of strings, not a number/, setup: (u) => writeFileSync(u.env.BACKPLANE_CONFIG!, '{"proxy-url": 3128}')},
  'backplane config: display-cluster-info not a boolean': {args: ['login', 'demo-cluster'], code: 1, expect: /"display-cluster-info" must be true or false/, setup: (u) => writeFileSync(u.env.BACKPLANE_CONFIG!, '{"display-cluster-info": "yes"}')},
  'backplane config: huge file': {args: ['login', 'demo-cluster'], code: 1, expect: /backplane config .* is too large/, setup: (u) => writeFileSync(u.env.BACKPLANE_CONFIG!, huge(2 * 1024 * 1024))},
  'backplane config: missing CA file': {args: ['login', 'demo-cluster'], code: 1, expect: /CA file \/nonexistent\.pem does not exist/, env: {BACKPLANE_CA_FILE: '/nonexistent.pem'}},
  'backplane config: CA file without a certificate': {args: ['login', 'demo-cluster'], code: 1, expect: /holds no PEM certificate/, setup: (u) => writeFileSync(`${u.home}/ca.pem`, 'not a cert'), env: {BACKPLANE_CA_FILE: '$HOME/ca.pem'}},
  'kubeconfig: malformed, for logout': {args: ['logout'], code: 1, expect: /kubeconfig .* is not valid/, setup: (u) => writeFileSync(u.kubeconfig, 'users: {')},
  'kubeconfig: malformed, for project': {args: ['project', 'default'], code: 1, expect: /kubeconfig .* is not valid/, setup: (u) => writeFileSync(u.kubeconfig, '- just\n- a list\n')},
  'kubeconfig: current-context of the wrong type': {args: ['logout'], code: 1, expect: /"current-context" is not a string/, setup: (u) => writeFileSync(u.kubeconfig, 'current-context: [a]\n')},
}

const replyCases: Record<string, Case> = {
  'cluster search: items of the wrong type': {args: ['login', 'demo-cluster'], code: 1, expect: /unexpected body/, fault: [SEARCH, {body: '{"items": "nope"}', status: 200}]},
  'cluster search: items missing fields': {args: ['login', 'demo-cluster'], code: 1, expect: /no cluster matches/, fault: [SEARCH, {body: '{"items": [{"kind": "Cluster"}, {"id": 5, "name": null}]}', status: 200}]},
  'cluster search: not JSON': {args: ['login', 'demo-cluster'], code: 1, expect: /OCM answered 200 with a body that is not JSON/, fault: [SEARCH, {body: 'hello', contentType: 'text/plain', status: 200}]},
  'cluster search: invalid UTF-8': {args: ['login', 'demo-cluster'], code: 1, expect: /OCM answered 200 with a body that is not JSON/, fault: [SEARCH, {body: Buffer.from([0xff, 0xfe, 0x7b, 0xc3, 0x28]), status: 200}]},
  'cluster search: 10 MB HTML error page': {args: ['login', 'demo-cluster'], code: 1, expect: /OCM answered 500 Internal Server Error \("x{20,}…"\)/, fault: [SEARCH, {body: `<html>${'x'.repeat(10 * 1024 * 1024)}</html>`, contentType: 'text/html', status: 500}]},
  'login: proxy_uri of the wrong type': {args: ['login', 'demo-cluster'], code: 1, expect: /without a proxy_uri/, fault: [LOGIN, {body: '{"proxy_uri": 42}', status: 200}]},
  'login: empty 200': {args: ['login', 'demo-cluster'], code: 1, expect: /without a proxy_uri/, fault: [LOGIN, {body: '', status: 200}]},
  'login: 10 MB JSON message': {args: ['login', 'demo-cluster'], code: 1, expect: /backplane answered 400 Bad Request: y+…/, fault: [LOGIN, {body: JSON.stringify({message: 'y'.repeat(10 * 1024 * 1024), statusCode: 400}), status: 400}]},
  'environment: no backplane_url': {args: ['login', 'demo-cluster'], code: 1, expect: /OCM does not advertise a backplane URL/, fault: ['GET /api/clusters_mgmt/v1/environment', {body: '{"backplane_url": 7}', status: 200}]},
  'SSO: refresh answer without a token': {args: ['token'], code: 1, expect: /SSO at .* answered without an access token/, fault: ['POST /auth/', {body: '{"token_type": "Bearer"}', status: 200}], setup: (u) => expireAccessToken(u)},
  'SSO: refresh answer not JSON': {args: ['token'], code: 1, expect: /SSO answered 200 with a body that is not JSON/, fault: ['POST /auth/', {body: '<html>login page</html>', contentType: 'text/html', status: 200}], setup: (u) => expireAccessToken(u)},
}

function expireAccessToken(u: UserHome): void {
  const c = JSON.parse(readFileSync(u.ocmConfig, 'utf8'))
  const [h, p, sig] = c.access_token.split('.')
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
  writeFileSync(u.ocmConfig, JSON.stringify({...c, access_token: [h, Buffer.from(JSON.stringify({...claims, exp: 1})).toString('base64url'), sig].join('.')}))
}

describe('bad input sweep', function () {
  this.timeout(120_000)
  const s = useSimulator()

  const snapshot = (u: UserHome) => [u.kubeconfig, u.ocmConfig, u.env.BACKPLANE_CONFIG!].map((f) => {
    try {
      return readFileSync(f, 'utf8')
    } catch {
      return undefined
    }
  })

  for (const [group, cases] of Object.entries({arguments: argCases, configs: configCases, 'server replies': replyCases})) {
    describe(group, () => {
      for (const [name, c] of Object.entries(cases)) {
        it(name, async () => {
          const u = userHome(s.sim)
          if (c.loggedIn) expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
          c.setup?.(u)
          const env = {...u.env, ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replace('$HOME', u.home)]))}
          const before = snapshot(u)
          if (c.fault) s.sim.setFault(c.fault[0], c.fault[1])
          try {
            const r = await backplane(c.args, env)
            expect(r.code, r.stderr).to.equal(c.code)
            expect(r.stdout).to.equal('')
            const lines = r.stderr.split('\n').filter(Boolean)
            expect(lines, r.stderr).to.have.length(1)
            expect(lines[0]).to.match(/^Error: \S/)
            expect(lines[0]).to.match(c.expect)
            expect(lines[0].length).to.be.lessThan(600)
            expect(r.stderr).not.to.match(/\n\s+at /)
          } finally {
            if (c.fault) s.sim.setFault(c.fault[0], undefined)
          }

          expect(snapshot(u)).to.deep.equal(before)
        })
      }
    })
  }
})

describe('bad input sweep: every command', function () {
  this.timeout(120_000)
  const s = useSimulator()
  const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
    commands: Record<string, {args?: Record<string, {options?: string[]; required?: boolean}>; pluginName?: string}>
  }
  const ours = Object.entries(manifest.commands).filter(([, c]) => c.pluginName === 'backplane')

  it('the manifest lists this CLI\'s commands', () => {
    expect(ours.map(([id]) => id)).to.include.members(['login', 'logout', 'project', 'token', 'status', 'managedjob:create', 'script:list', 'cloud:console'])
  })

  for (const [id, command] of ours) {
    const words = id.split(':')
    const required = Object.entries(command.args ?? {}).filter(([, a]) => a.required).map(([name]) => name)

    it(`${words.join(' ')}: an unknown flag${required.length > 0 ? ', and missing arguments,' : ''} are one usage line`, async () => {
      const u = userHome(s.sim)
      const before = s.sim.requests.length
      // An argument with a fixed set of values gets one of them, so that the unknown flag is what is wrong.
      const filler = required.map((name) => command.args?.[name]?.options?.[0] ?? (name === 'key' ? 'url' : `x-${name.toLowerCase()}`))
      const unknown = await backplane([...words, ...filler, '--definitely-not-a-flag'], u.env)
      expect(unknown.code, unknown.stderr).to.equal(2)
      expect(unknown.stdout).to.equal('')
      expect(unknown.stderr).to.equal(`Error: Nonexistent flag: --definitely-not-a-flag — see 'backplane ${words.join(' ')} --help'\n`)
      if (required.length > 0) {
        const missing = await backplane(words, u.env)
        expect(missing.code, missing.stderr).to.equal(2)
        expect(missing.stdout).to.equal('')
        expect(missing.stderr).to.match(new RegExp(`^Error: Missing ${required.length} required args?: ${required[0]}.* — see 'backplane ${words.join(' ')} --help'\\n$`))
      }

      // Usage errors are found before anything is asked of OCM or backplane.
      expect(s.sim.requests.length).to.equal(before)
    })
  }
})
