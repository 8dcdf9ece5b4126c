import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {backplane, userHome} from '../support/cli.js'
import {inTerminal} from '../support/terminal.js'
import {useSimulator} from '../support/sim.js'

const fixture = readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')

describe('logout', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('removes the current backplane context, its cluster and user, goes back to the context before the login, and leaves the rest of the file as it was', async () => {
    const u = userHome(s.sim)
    writeFileSync(u.kubeconfig, fixture)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const r = await backplane(['logout'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(
      [
        'Logged out from backplane: default/demo-cluster/sre-demo',
        'Removed context: default/demo-cluster/sre-demo',
        'Removed cluster: demo-cluster',
        'Removed user: backplane-sre-demo',
        "Current context: kind-dev (the one before this cluster's login)",
        '',
      ].join('\n'),
    )
    // Byte for byte the user's file again: kind-dev is current as before the login.
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(fixture)
  })

  it('logs out of the whole cluster (every namespace), keeps what other contexts use, and returns to the context before that cluster', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.prodEast1.name], u.env)).code).to.equal(0)
    expect((await backplane(['login', SEED.demo.name, '-n', 'kube-system'], u.env)).code).to.equal(0)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const r = await backplane(['logout', '--json'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(JSON.parse(r.stdout)).to.deep.include({
      clusterId: SEED.demo.id,
      context: 'default/demo-cluster/sre-demo',
      current: 'default/prod-east-1/sre-demo',
      removed: {clusters: ['demo-cluster'], contexts: ['kube-system/demo-cluster/sre-demo', 'default/demo-cluster/sre-demo'], users: []},
    })
    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(config.contexts.map((c: {name: string}) => c.name)).to.deep.equal(['default/prod-east-1/sre-demo'])
    expect(config.clusters.map((c: {name: string}) => c.name)).to.deep.equal(['prod-east-1'])
    expect(config.users).to.have.length(1)
    expect(config['current-context']).to.equal('default/prod-east-1/sre-demo')
    // The context before prod-east-1's login (none) no longer exists: current-context is unset.
    const last = await backplane(['logout'], u.env)
    expect(last.stdout.split('\n').at(-2)).to.equal('No current context now.')
    expect(parse(readFileSync(u.kubeconfig, 'utf8'))['current-context']).to.equal('')
  })

  it('logout --all removes every backplane context, cluster and user and nothing else; on a terminal it asks first', async () => {
    const u = userHome(s.sim)
    writeFileSync(u.kubeconfig, fixture)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    expect((await backplane(['login', SEED.prodEast1.name, '-n', 'kube-system'], u.env)).code).to.equal(0)
    const withBoth = readFileSync(u.kubeconfig, 'utf8')

    // On a terminal, "no" keeps everything.
    const answer = (key: string) => {
      let answered = false
      return inTerminal(u.env, ['logout', '--all'], (out, type) => {
        if (answered || !out.includes('Remove all 2 backplane context(s)')) return
        answered = true
        type(`${key}\r`)
      })
    }

    const no = await answer('n')
    expect(no.code, no.out).to.equal(1)
    expect(no.out).to.include('logout --all cancelled')
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(withBoth)
    const yes = await answer('y')
    expect(yes.code, yes.out).to.equal(0)
    expect(yes.out).to.include('Removed contexts: default/demo-cluster/sre-demo, kube-system/prod-east-1/sre-demo')
    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(config.contexts.map((c: {name: string}) => c.name)).to.deep.equal(['kind-dev'])
    expect(config.clusters.map((c: {name: string}) => c.name)).to.deep.equal(['kind-dev', 'staging-direct'])
    expect(config.users.map((c: {name: string}) => c.name)).to.deep.equal(['kind-dev-admin'])
    expect(config['current-context']).to.equal('')

    // Without a terminal it does not ask; with nothing to remove it says so.
    const again = await backplane(['logout', '--all'], u.env)
    expect(again).to.deep.include({code: 0, stdout: 'No backplane contexts to remove.\n'})
  })

  it('refuses a non-backplane or missing current context, leaving the file byte for byte', async () => {
    const u = userHome(s.sim)
    writeFileSync(u.kubeconfig, fixture)
    const r = await backplane(['logout'], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr).to.equal('Error: current context "kind-dev" is not a backplane context — switch to a backplane context (kubectl config use-context) or log out with that tool\n')
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(fixture)

    const none = fixture.replace('current-context: kind-dev', 'current-context: ""')
    writeFileSync(u.kubeconfig, none)
    const r2 = await backplane(['logout'], u.env)
    expect(r2.code).to.equal(1)
    expect(r2.stderr).to.match(/^Error: no current kubeconfig context — /)
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(none)
  })

  it('logout <cluster> says so when there is no --multi kubeconfig for it', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['logout', SEED.gcp.name], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr).to.match(new RegExp(`^Error: no kubeconfig for cluster ${SEED.gcp.id} at .* — `))
  })
})

describe('project', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('switches the namespace of the current context after checking it exists, and prints it', async () => {
    const u = userHome(s.sim)
    writeFileSync(u.kubeconfig, fixture)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const r = await backplane(['project', 'openshift-monitoring'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(config.contexts[1].context.namespace).to.equal('openshift-monitoring')
    expect(config.contexts[0].context.namespace).to.equal('team-a')
    const shown = await backplane(['project'], u.env)
    expect(shown.stdout).to.equal('openshift-monitoring\n')
    expect(JSON.parse((await backplane(['project', '--json'], u.env)).stdout)).to.deep.equal({context: 'default/demo-cluster/sre-demo', namespace: 'openshift-monitoring'})
  })

  it('404, 403 and invalid names: one line, nothing written', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const before = readFileSync(u.kubeconfig, 'utf8')
    const cases: Array<[string, number, RegExp]> = [
      ['no-such-ns', 1, /^Error: namespace "no-such-ns" does not exist on https:.* — /],
      ['forbidden-ns', 1, /^Error: you may not read namespace "forbidden-ns"/],
      ['Bad_Name', 2, /^Error: invalid namespace "Bad_Name"/],
    ]
    for (const [ns, code, pattern] of cases) {
      const r = await backplane(['project', ns], u.env)
      expect(r.code, r.stderr).to.equal(code)
      expect(r.stderr).to.match(pattern)
      expect(r.stderr.trim().split('\n')).to.have.length(1)
    }

    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(before)
  })
})

describe('token', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('prints the access token, refreshing it when it is about to expire', async () => {
    const u = userHome(s.sim)
    const stored = JSON.parse(readFileSync(u.ocmConfig, 'utf8')).access_token
    const r = await backplane(['token'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(`${stored}\n`)

    const short = s.sim.issueAccessToken({ttlSeconds: 30})
    writeFileSync(u.ocmConfig, JSON.stringify({...JSON.parse(readFileSync(u.ocmConfig, 'utf8')), access_token: short}))
    const refreshed = (await backplane(['token'], u.env)).stdout.trim()
    expect(refreshed).not.to.equal(short)
    expect(JSON.parse(readFileSync(u.ocmConfig, 'utf8')).access_token).to.equal(refreshed)
  })

  it('--exec-credential prints an ExecCredential whose expiry comes from the JWT', async () => {
    const u = userHome(s.sim)
    const token = JSON.parse(readFileSync(u.ocmConfig, 'utf8')).access_token
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp
    const r = await backplane(['token', '--exec-credential'], u.env)
    expect(JSON.parse(r.stdout)).to.deep.equal({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: {expirationTimestamp: new Date(exp * 1000).toISOString().replace('.000Z', 'Z'), token},
    })
  })

  it('without a usable token: one line, exit 1, nothing else', async () => {
    const u = userHome(s.sim, {OCM_CONFIG: '/nonexistent/ocm.json'})
    const r = await backplane(['token'], u.env)
    expect(r).to.deep.include({code: 1, stderr: "Error: not logged in to OCM — run 'ocm login'\n", stdout: ''})
  })
})
