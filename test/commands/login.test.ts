import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {backplane, kubectl, RUN, runProgram, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'
import {expectOneErrorLine} from '../support/expect.js'

const fixture = readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')

describe('login', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('logs in by name, writes an exec-credential context, and kubectl then works', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.stderr).to.equal('')
    expect(r.code).to.equal(0)
    expect(r.stdout).to.include(`Logged in to demo-cluster (${SEED.demo.id})`)
    expect(r.stdout).to.include('default/demo-cluster/sre-demo')

    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(config['current-context']).to.equal('default/demo-cluster/sre-demo')
    const cluster = config.clusters[0]
    expect(cluster.name).to.equal('demo-cluster')
    expect(cluster.cluster.server).to.equal(`${s.sim.backplaneUrl}/backplane/cluster/${SEED.demo.id}/`)
    expect(Buffer.from(cluster.cluster['certificate-authority-data'], 'base64').toString()).to.equal(s.sim.caPem)
    const exec = config.users[0].user.exec
    expect(exec).to.include({apiVersion: 'client.authentication.k8s.io/v1', command: join(u.home, '.kube', 'ocm-token'), interactiveMode: 'Never'})
    expect(exec.env).to.deep.include({name: 'OCM_CONFIG', value: u.ocmConfig})
    expect(statSync(u.kubeconfig).mode & 0o777).to.equal(0o600)
    expect(statSync(join(u.home, '.kube', 'ocm-token')).mode & 0o777).to.equal(0o700)
    expect(readdirSync(join(u.home, '.kube')).filter((f) => f.endsWith('.tmp'))).to.deep.equal([])

    const login = s.sim.requests.filter((q) => q.method === 'POST' && q.path.startsWith(`/backplane/login/${SEED.demo.id}`)).at(-1)!
    expect(login.headers['user-agent']).to.match(/^backplane-cli\/\d+\.\d+\.\d+/)
    expect(login.headers.authorization).to.match(/^Bearer ey/)

    const ns = await kubectl(['get', 'namespaces', '-o', 'name'], u.env)
    expect(ns.stderr).to.equal('')
    expect(ns.stdout).to.include('namespace/openshift-monitoring').and.include('namespace/demo-app')
  })

  it('resolves by id, external id and a unique pattern; --readonly adds ?readonly=true', async () => {
    for (const key of [SEED.gcp.id, SEED.gcp.externalId, '%gcp-clu%']) {
      const u = userHome(s.sim)
      const r = await backplane(['login', key, '--readonly'], u.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(parse(readFileSync(u.kubeconfig, 'utf8')).contexts[0].name).to.equal('default/gcp-cluster/sre-demo')
    }

    expect(s.sim.requests.filter((q) => q.path.startsWith('/backplane/login/')).at(-1)?.path).to.equal(`/backplane/login/${SEED.gcp.id}?readonly=true`)
  })

  it('keeps every other entry, comment and extension of an existing kubeconfig', async () => {
    const u = userHome(s.sim)
    writeFileSync(u.kubeconfig, fixture, {mode: 0o644})
    const r = await backplane(['login', SEED.prodEast1.name, '-n', 'openshift-monitoring'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const text = readFileSync(u.kubeconfig, 'utf8')
    for (const kept of ['# The user\'s own kubeconfig', 'colors: true # keep me', 'audience: kind', 'extension: {owner: me}', 'note: "keep this too"']) expect(text).to.include(kept)
    const config = parse(text)
    expect(config.contexts.map((c: {name: string}) => c.name)).to.deep.equal(['kind-dev', 'openshift-monitoring/prod-east-1/sre-demo'])
    expect(config['current-context']).to.equal('openshift-monitoring/prod-east-1/sre-demo')
    // kubectl reads the merged file and sees both worlds.
    const contexts = await kubectl(['config', 'get-contexts', '-o', 'name'], u.env)
    expect(contexts.stdout.split('\n').filter(Boolean).sort()).to.deep.equal(['kind-dev', 'openshift-monitoring/prod-east-1/sre-demo'])
  })

  it('--multi writes ~/.kube/<id>/config and prints only the export line on stdout', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['login', SEED.demo.name, '--multi'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const path = join(u.home, '.kube', SEED.demo.id, 'config')
    expect(r.stdout).to.equal(`export KUBECONFIG='${path}'\n`)
    expect(existsSync(u.kubeconfig)).to.equal(false)
    const ns = await kubectl(['get', 'namespace', 'default', '-o', 'name'], {...u.env, KUBECONFIG: path})
    expect(ns.stdout.trim()).to.equal('namespace/default')

    const removed = await backplane(['logout', SEED.demo.name], u.env)
    expect(removed.code, removed.stderr).to.equal(0)
    expect(existsSync(path)).to.equal(false)
  })

  it('--multi output is safe to source: a HOME with spaces, quotes and $(…) stays one literal path', async () => {
    const u = userHome(s.sim)
    const home = join(u.home, "it's a $(touch PWNED) home")
    mkdirSync(home)
    const env = {...u.env, HOME: home}
    const script = `source <(${JSON.stringify(process.execPath)} ${JSON.stringify(RUN)} login ${SEED.demo.name} --multi) && printf %s "$KUBECONFIG"`
    const r = await runProgram('bash', ['-c', script], env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(join(home, '.kube', SEED.demo.id, 'config'))
    expect(existsSync(join(process.cwd(), 'PWNED'))).to.equal(false)
  })

  it('--cluster-info prints id, name, state, version, provider and region', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['login', SEED.gcp.name, '--cluster-info'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(new RegExp(`Cluster ID: +${SEED.gcp.id}`)).and.match(/State: +ready/).and.match(/Provider: +gcp/).and.match(/Region: +us-central1/).and.match(/Version: +4\.13/)
  })

  it('--json prints the login as an object', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['login', SEED.demo.id, '--json'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(JSON.parse(r.stdout)).to.deep.equal({
      cluster: {id: SEED.demo.id, name: SEED.demo.name},
      context: 'default/demo-cluster/sre-demo',
      kubeconfig: u.kubeconfig,
      server: `${s.sim.backplaneUrl}/backplane/cluster/${SEED.demo.id}/`,
    })
  })

  it('refreshes an expired access token, saves it in the OCM config, keeping its other fields', async () => {
    const u = userHome(s.sim)
    const before = JSON.parse(readFileSync(u.ocmConfig, 'utf8'))
    writeFileSync(u.ocmConfig, JSON.stringify({...before, access_token: s.sim.issueAccessToken({ttlSeconds: 30}), pager: 'less'}))
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const after = JSON.parse(readFileSync(u.ocmConfig, 'utf8'))
    expect(after.access_token).not.to.equal(before.access_token)
    expect(after.pager).to.equal('less')
    expect(after.url).to.equal(before.url)
    expect(statSync(u.ocmConfig).mode & 0o777).to.equal(0o600)
    expect(s.sim.requests.some((q) => q.path.endsWith('/openid-connect/token'))).to.equal(true)
  })

  it('the token helper serves kubectl from its cache and refreshes through `backplane token` when the cache is stale', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const cacheDir = join(u.home, '.kube', 'cache', 'backplane')
    const cacheFile = readdirSync(cacheDir).find((f) => f.startsWith('token-'))!
    expect(statSync(join(cacheDir, cacheFile)).mode & 0o777).to.equal(0o600)
    // A fresh cache: the helper answers without a request.
    const before = s.sim.requests.length
    const helper = join(u.home, '.kube', 'ocm-token')
    const cached = JSON.parse(execFileSync(helper, {env: {...u.env, BACKPLANE_TOKEN_CACHE: join(cacheDir, cacheFile)}}).toString())
    expect(cached).to.include({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential'})
    expect(s.sim.requests.length).to.equal(before)
    // A stale cache: it runs `backplane token`, which refreshes through SSO, and kubectl still works.
    writeFileSync(join(cacheDir, cacheFile), '1\n{}\n')
    writeFileSync(u.ocmConfig, JSON.stringify({...JSON.parse(readFileSync(u.ocmConfig, 'utf8')), access_token: s.sim.issueAccessToken({ttlSeconds: 5})}))
    const ns = await kubectl(['get', 'ns', 'kube-system', '-o', 'name'], u.env)
    expect(ns.stderr).to.equal('')
    expect(ns.stdout.trim()).to.equal('namespace/kube-system')
    const [exp] = readFileSync(join(cacheDir, cacheFile), 'utf8').split('\n')
    expect(Number(exp)).to.be.greaterThan(Date.now() / 1000 + 300)
  })

  it('the token helper uses `ocm token` when ocm is on PATH', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const bin = join(u.home, 'bin')
    mkdirSync(bin)
    const token = s.sim.issueAccessToken({username: 'from-ocm'})
    writeFileSync(join(bin, 'ocm'), `#!/bin/sh\n[ "$1" = token ] && echo '${token}' && echo "$OCM_CONFIG" > "${join(u.home, 'ocm-was-called')}"\n`)
    chmodSync(join(bin, 'ocm'), 0o755)
    const env = {...u.env, PATH: `${bin}:${u.env.PATH}`, BACKPLANE_TOKEN_CACHE: join(u.home, 'empty-cache')}
    const out = JSON.parse(execFileSync(join(u.home, '.kube', 'ocm-token'), {env}).toString())
    expect(out.status.token).to.equal(token)
    expect(out.status.expirationTimestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(readFileSync(join(u.home, 'ocm-was-called'), 'utf8').trim()).to.equal(u.ocmConfig)
  })
})

describe('login: bad input', function () {
  this.timeout(60_000)
  const s = useSimulator()

  async function expectFailure(args: string[], code: number, pattern: RegExp, extraEnv: Record<string, string> = {}, setup?: (u: ReturnType<typeof userHome>) => void) {
    const u = userHome(s.sim, extraEnv)
    writeFileSync(u.kubeconfig, fixture)
    setup?.(u)
    const kubeBefore = readFileSync(u.kubeconfig, 'utf8')
    const r = await backplane(args, u.env)
    expectOneErrorLine(r, code, pattern)
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(kubeBefore)
    expect(existsSync(join(u.home, '.kube', 'ocm-token'))).to.equal(false)
    return r
  }

  it('unknown, ambiguous, hibernating and forbidden clusters', async () => {
    await expectFailure(['login', 'no-such-cluster'], 1, /no cluster matches "no-such-cluster" — /)
    await expectFailure(['login', '%prod-east%'], 1, new RegExp(`matches 2 clusters: prod-east-1 \\(${SEED.prodEast1.id}\\), prod-east-2 \\(${SEED.prodEast2.id}\\)`))
    const before = s.sim.requests.length
    await expectFailure(['login', SEED.sleepy.name], 1, /^Error: cluster sleepy-cluster is hibernating — resume it before logging in$/)
    expect(s.sim.requests.slice(before).some((q) => q.path.startsWith('/backplane/'))).to.equal(false)
    await expectFailure(['login', SEED.forbidden.name], 1, /backplane answered 403 Forbidden: .*not allowed/)
  })

  it('cluster keys and namespaces that cannot be valid fail before any request', async () => {
    const before = s.sim.requests.length
    for (const key of ['a/b', '..', "it's", 'two words', '../etc']) await expectFailure(['login', key], 2, /invalid cluster/)
    await expectFailure(['login', SEED.demo.name, '-n', 'Not_Valid'], 2, /invalid namespace "Not_Valid"/)
    await expectFailure(['login'], 2, /Missing 1 required arg: cluster/)
    await expectFailure(['login', 'x', '--nope'], 2, /Nonexistent flag: --nope/)
    expect(s.sim.requests.length).to.equal(before)
  })

  it('missing, malformed or expired OCM login', async () => {
    await expectFailure(['login', 'demo-cluster'], 1, /^Error: not logged in to OCM — run 'ocm login'$/, {OCM_CONFIG: '/nonexistent/ocm.json'})
    await expectFailure(['login', 'demo-cluster'], 1, /OCM config .*ocm\.json is not valid JSON/, {}, (u) => writeFileSync(u.ocmConfig, '{"access_token": '))
    await expectFailure(['login', 'demo-cluster'], 1, /^Error: not logged in to OCM: the access token has expired and there is no usable refresh token — run 'ocm login'$/, {}, (u) =>
      writeFileSync(u.ocmConfig, JSON.stringify({access_token: s.sim.issueAccessToken({ttlSeconds: -10}), url: s.sim.url})),
    )
    // A refresh token SSO no longer accepts (issued before a revocation).
    const stale = s.sim.issueRefreshToken()
    s.sim.revokeRefreshTokens()
    await expectFailure(['login', 'demo-cluster'], 1, /^Error: not logged in to OCM: the session has expired \(SSO rejected the token refresh\) — run 'ocm login'$/, {}, (u) => {
      const c = JSON.parse(readFileSync(u.ocmConfig, 'utf8'))
      writeFileSync(u.ocmConfig, JSON.stringify({...c, access_token: s.sim.issueAccessToken({ttlSeconds: -10}), refresh_token: stale}))
    })
  })

  it('backplane unreachable, slow, or answering errors with JSON, HTML or empty bodies', async () => {
    await expectFailure(['login', 'demo-cluster', '--url', 'https://127.0.0.1:9'], 1, /cannot reach backplane at https:\/\/127\.0\.0\.1:9 \(connection refused\)/)
    const cases: Array<[number, string, string, RegExp]> = [
      [401, '{"statusCode":401,"message":"token expired"}', 'application/json', /backplane answered 401 Unauthorized: token expired — .*ocm login/],
      [404, '{"statusCode":404,"message":"cluster not found"}', 'application/json', /answered 404 Not Found: cluster not found/],
      [500, '{"statusCode":500,"message":"database down"}', 'application/json', /answered 500 Internal Server Error: database down/],
      [502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html', /answered 502 Bad Gateway \("502 Bad Gateway"\)/],
      [403, '', 'text/plain', /answered 403 Forbidden with an empty body/],
    ]
    for (const [status, body, contentType, pattern] of cases) {
      s.sim.setFault('POST /backplane/login/', {body, contentType, status})
      try {
        await expectFailure(['login', 'demo-cluster'], 1, pattern)
      } finally {
        s.sim.setFault('POST /backplane/login/', undefined)
      }
    }

    s.sim.setFault('POST /backplane/login/', {delayMs: 5000})
    try {
      await expectFailure(['login', 'demo-cluster'], 1, /backplane at https:\/\/127\.0\.0\.1:\d+ did not answer( POST \S+)? within 1s/, {BACKPLANE_TIMEOUT: '1'})
    } finally {
      s.sim.setFault('POST /backplane/login/', undefined)
    }
  })

  it('a malformed kubeconfig is reported and not touched', async () => {
    await expectFailure(['login', 'demo-cluster'], 1, /kubeconfig .*config is not valid: .* — fix the file \(backplane left it unchanged\)/, {}, (u) => writeFileSync(u.kubeconfig, 'clusters: [\n  - name: x\n'))
  })

  it('an unwritable kubeconfig directory is reported', async function () {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; a path under a regular file is unwritable for everyone.
      const u = userHome(s.sim)
      writeFileSync(join(u.home, 'afile'), 'x')
      const r = await backplane(['login', 'demo-cluster'], {...u.env, KUBECONFIG: join(u.home, 'afile', 'config')})
      expect(r.code).to.equal(1)
      expect(r.stderr).to.match(/^Error: cannot (read|write|create directory) .*afile.* — /)
      expect(r.stderr.trim().split('\n')).to.have.length(1)
      return
    }

    const u = userHome(s.sim)
    const dir = join(u.home, 'ro')
    mkdirSync(dir, {mode: 0o500})
    const r = await backplane(['login', 'demo-cluster'], {...u.env, KUBECONFIG: join(dir, 'config')})
    expect(r.code).to.equal(1)
    expect(r.stderr).to.match(/^Error: cannot write .*permission denied/)
  })

  it('errors as JSON carry no token and no request dump', async () => {
    s.sim.setFault('POST /backplane/login/', {body: '{"statusCode":500,"message":"boom"}', status: 500})
    try {
      const u = userHome(s.sim)
      const r = await backplane(['login', 'demo-cluster', '--json'], u.env)
      expect(r.code).to.equal(1)
      const out = JSON.parse(r.stdout)
      expect(out).to.deep.equal({error: {code: 'HTTP_500', exitCode: 1, hint: 'backplane is failing: retry later', message: 'backplane answered 500 Internal Server Error: boom'}})
      expect(r.stdout + r.stderr).not.to.match(/eyJ|Bearer|authorization/i)
    } finally {
      s.sim.setFault('POST /backplane/login/', undefined)
    }
  })
})

describe('the token helper, when the CLI that wrote it is gone', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('falls back to `backplane` on PATH, and says what to do when there is none', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const helper = join(u.home, '.kube', 'ocm-token')
    // As if Node had been upgraded: the baked-in paths no longer exist.
    writeFileSync(helper, readFileSync(helper, 'utf8').replaceAll(process.execPath, '/nonexistent/node'))
    const bin = join(u.home, 'bin')
    mkdirSync(bin)
    const token = s.sim.issueAccessToken({username: 'from-path'})
    writeFileSync(join(bin, 'backplane'), `#!/bin/sh\n[ "$1" = token ] && echo '${token}'\n`)
    chmodSync(join(bin, 'backplane'), 0o755)
    const noCache = join(u.home, 'no-cache')
    const viaPath = await runProgram(helper, [], {...u.env, BACKPLANE_TOKEN_CACHE: noCache, PATH: `${bin}:/usr/bin:/bin`})
    expect(JSON.parse(viaPath.stdout).status.token).to.equal(token)

    const none = await runProgram(helper, [], {...u.env, BACKPLANE_TOKEN_CACHE: `${noCache}-2`, PATH: '/usr/bin:/bin'})
    expect(none.code).to.equal(1)
    expect(none.stderr).to.equal("ocm-token: neither ocm nor backplane is installed: install one, then run 'backplane login' again\n")
  })
})
