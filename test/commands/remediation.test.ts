import {expect} from 'chai'
import {readFileSync, rmSync} from 'node:fs'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {backplane, kubectl, userHome, type UserHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

interface Kubeconfig {
  clusters: Array<{cluster: Record<string, unknown>; name: string}>
  contexts: Array<{context: Record<string, unknown>; name: string}>
  'current-context'?: string
  users: Array<{name: string; user: Record<string, unknown>}>
}

describe('remediation create|delete', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  after(() => {
    for (const u of homes) rmSync(u.home, {force: true, recursive: true})
  })

  async function loggedIn(cluster: string = SEED.demo.name): Promise<UserHome> {
    const u = userHome(s.sim)
    homes.push(u)
    const r = await backplane(['login', cluster], u.env)
    expect(r.code, r.stderr).to.equal(0)
    return u
  }

  const kubeconfigOf = (u: UserHome) => parse(readFileSync(u.kubeconfig, 'utf8')) as Kubeconfig

  it('create: POSTs the name, prints the instance id, writes remediation-<instance>/<cluster> (not current) that kubectl can use', async () => {
    const u = await loggedIn()
    const loginContext = kubeconfigOf(u)['current-context']
    const r = await backplane(['remediation', 'create', 'etcd-defrag'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const id = r.stdout.trim()
    expect(id).to.match(/^rem-[0-9a-f]{8}$/)
    expect(s.sim.requests.some((q) => q.method === 'POST' && q.path === `/backplane/remediation/${SEED.demo.id}?remediationName=etcd-defrag`)).to.equal(true)
    const context = `remediation-${id}/${SEED.demo.name}`
    expect(r.stderr).to.include(`Context ${context} in ${u.kubeconfig} (not current): kubectl --context ${context} get pods`)

    const kc = kubeconfigOf(u)
    expect(kc['current-context']).to.equal(loginContext)
    expect(kc.contexts.find((c) => c.name === context)?.context).to.deep.equal({cluster: context, namespace: 'default', user: 'backplane-sre-demo'})
    expect(kc.clusters.find((c) => c.name === context)?.cluster.server).to.equal(`${s.sim.backplaneUrl}/backplane/remediate/${SEED.demo.id}/${id}/`)
    // The login's cluster entry is untouched.
    expect(kc.clusters.find((c) => c.name === SEED.demo.name)?.cluster.server).to.equal(`${s.sim.backplaneUrl}/backplane/cluster/${SEED.demo.id}/`)

    const ns = await kubectl(['--context', context, 'get', 'namespace', 'default', '-o', 'name'], u.env)
    expect(ns.code, ns.stderr).to.equal(0)
    expect(ns.stdout.trim()).to.equal('namespace/default')
    expect(s.sim.requests.some((q) => q.path.startsWith(`/backplane/remediate/${SEED.demo.id}/${id}/api/v1/namespaces/default`))).to.equal(true)
  })

  it('create --use makes the context current; --json; -c names the cluster; --manager asks for the management cluster or Hive shard', async () => {
    const u = await loggedIn()
    const j = await backplane(['remediation', 'create', 'restart-ingress-router', '-c', SEED.hcp.name, '--manager', '--use', '--json'], u.env)
    expect(j.code, j.stderr).to.equal(0)
    const out = JSON.parse(j.stdout)
    const mgmt = s.sim.clusters.find((c) => c.name === SEED.mgmt.name)!
    expect(out).to.deep.include({
      cluster: {id: SEED.hcp.id, name: SEED.hcp.name},
      context: `remediation-${out.instanceId}/${SEED.hcp.name}`,
      current: true,
      kubeconfig: u.kubeconfig,
      managingCluster: 'management',
      remediation: 'restart-ingress-router',
      server: `${s.sim.backplaneUrl}/backplane/remediate/${mgmt.id}/${out.instanceId}/`,
    })
    expect(s.sim.requests.some((q) => q.path === `/backplane/remediation/${SEED.hcp.id}?remediationName=restart-ingress-router&managingCluster=management`)).to.equal(true)
    expect(kubeconfigOf(u)['current-context']).to.equal(out.context)
    expect((await kubectl(['get', 'ns', 'default', '-o', 'name'], u.env)).stdout.trim()).to.equal('namespace/default')

    // The current context is now the remediation one (not a backplane login context): -c is needed.
    expectOneErrorLine(await backplane(['remediation', 'create', 'etcd-defrag', '--manager'], u.env), 1, /is not a backplane context/)
    const classic = await backplane(['remediation', 'create', 'etcd-defrag', '-c', SEED.demo.name, '--manager', '--json'], u.env)
    expect(classic.code, classic.stderr).to.equal(0)
    expect(JSON.parse(classic.stdout).managingCluster).to.equal('hive')
  })

  it('delete: DELETEs the instance, removes its context and cluster entry (and current-context when it was current); kubectl is refused after', async () => {
    const u = await loggedIn()
    const id = (await backplane(['remediation', 'create', 'etcd-defrag', '--use'], u.env)).stdout.trim()
    const context = `remediation-${id}/${SEED.demo.name}`
    expect(kubeconfigOf(u)['current-context']).to.equal(context)
    const before = kubeconfigOf(u)
    // Without -c (the current context is the remediation one): the cluster comes from the context's name.
    const r = await backplane(['remediation', 'delete', id], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(`Deleted remediation instance ${id} on cluster ${SEED.demo.id}.\nRemoved context ${context}.\n`)
    expect(s.sim.requests.some((q) => q.method === 'DELETE' && q.path === `/backplane/remediation/${SEED.demo.id}?remediationInstanceId=${id}`)).to.equal(true)
    expect(s.sim.remediations.has(id)).to.equal(false)
    const after = kubeconfigOf(u)
    expect(after['current-context'] ?? '').to.equal('')
    expect(after.contexts.map((c) => c.name)).to.deep.equal(before.contexts.map((c) => c.name).filter((n) => n !== context))
    expect(after.clusters.map((c) => c.name)).to.not.include(context)
    expect(after.users.map((x) => x.name)).to.include('backplane-sre-demo') // the login context still uses it

    // A second delete: backplane says it is gone.
    expectOneErrorLine(await backplane(['remediation', 'delete', id, '-c', SEED.demo.name], u.env), 1, new RegExp(`remediation instance ${id} not found`))
  })

  it('delete of an instance whose context is gone still deletes it (cluster from -c or the current context), --json', async () => {
    const u = await loggedIn()
    const id = (await backplane(['remediation', 'create', 'etcd-defrag'], u.env)).stdout.trim()
    expect((await kubectl(['config', 'delete-context', `remediation-${id}/${SEED.demo.name}`], u.env)).code).to.equal(0)
    const r = await backplane(['remediation', 'delete', id, '--json'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(JSON.parse(r.stdout)).to.deep.equal({clusterId: SEED.demo.id, instanceId: id, removedContexts: []})
  })

  it('bad input is one clear line, before any request; backplane refusals are one line too', async () => {
    const u = await loggedIn()
    const count = s.sim.requests.length
    expectOneErrorLine(await backplane(['remediation', 'create', '../login/x'], u.env), 2, /^Error: invalid remediation name "\.\.\/login\/x" — give the name of a remediation/)
    expectOneErrorLine(await backplane(['remediation', 'delete', 'a b'], u.env), 2, /^Error: invalid remediation instance id "a b" — give the id 'backplane remediation create' printed$/)
    expectOneErrorLine(await backplane(['remediation', 'create', 'x', '--manager', '--service'], u.env), 2, /cannot also be provided when using/)
    expectOneErrorLine(await backplane(['remediation', 'create'], u.env), 2, /Missing 1 required arg/)
    expect(s.sim.requests.length).to.equal(count)
    expectOneErrorLine(await backplane(['remediation', 'create', 'etcd-defrag', '--service'], u.env), 1, /demo-cluster is not a HyperShift .* — use --manager/)
    expect(s.sim.requests.filter((q) => q.path.startsWith('/backplane/remediation/')).length).to.equal(s.sim.requests.slice(0, count).filter((q) => q.path.startsWith('/backplane/remediation/')).length)
    expectOneErrorLine(await backplane(['remediation', 'create', 'no-such-remediation'], u.env), 1, /remediation no-such-remediation not found/)
    expectOneErrorLine(await backplane(['remediation', 'create', 'etcd-defrag', '-c', SEED.forbidden.name], u.env), 1, /not allowed/)
  })
})
