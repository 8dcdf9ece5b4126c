import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'

import {SEED} from '../../src/simulator/index.js'
import {backplane, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'
import {expectOneErrorLine} from '../support/expect.js'

const fixture = readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')

describe('status', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('prints exactly the four lines prompts parse, values at column 21 as Go prints them, for the current backplane context', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.prodEast1.name], u.env)).code).to.equal(0)
    const before = s.sim.requests.length
    const cluster = s.sim.clusters.find((c) => c.id === SEED.prodEast1.id)!
    const r = await backplane(['status'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    expect(r.stdout).to.equal(
      [`Cluster ID:         ${SEED.prodEast1.id}`, 'Cluster Name:       prod-east-1', `Cluster Basedomain: ${cluster.dns.base_domain}`, `Backplane Server:   ${s.sim.backplaneUrl}`, ''].join('\n'),
    )
    // The id comes from the context, the rest from OCM.
    const paths = s.sim.requests.slice(before).map((q) => `${q.method} ${q.path}`)
    expect(paths).to.include(`GET /api/clusters_mgmt/v1/clusters/${SEED.prodEast1.id}`)
    expect(paths.filter((p) => p.includes('/backplane/'))).to.deep.equal([])
  })

  it('follows the current context; Backplane Server is the backplane host of its server (as Go), whatever BACKPLANE_URL says', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    expect((await backplane(['login', SEED.gcp.name], u.env)).code).to.equal(0)
    const r = await backplane(['status', '--json'], {...u.env, BACKPLANE_URL: 'https://127.0.0.1:9'})
    expect(r.code, r.stderr).to.equal(0)
    const gcp = s.sim.clusters.find((c) => c.id === SEED.gcp.id)!
    expect(JSON.parse(r.stdout)).to.deep.equal({
      backplaneServer: s.sim.backplaneUrl,
      clusterBasedomain: gcp.dns.base_domain,
      clusterId: SEED.gcp.id,
      clusterName: SEED.gcp.name,
      context: 'default/gcp-cluster/sre-demo',
    })
  })
})

describe('status: bad input', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('no kubeconfig, or a current context that is not a backplane one: one line, exit 1', async () => {
    const u = userHome(s.sim)
    expectOneErrorLine(await backplane(['status'], u.env), 1, /no current kubeconfig context — log in first/)
    writeFileSync(u.kubeconfig, fixture)
    const before = s.sim.requests.length
    expectOneErrorLine(await backplane(['status'], u.env), 1, /current context "kind-dev" is not a backplane context \(its server is https:\/\/127\.0\.0\.1:\d+\) — log in with 'backplane login <cluster>'/)
    expect(s.sim.requests.length).to.equal(before)
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(fixture)
  })

  it('a cluster OCM no longer knows, and a broken kubeconfig', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const saved = s.sim.clusters
    s.sim.clusters = saved.filter((c) => c.id !== SEED.demo.id)
    try {
      expectOneErrorLine(await backplane(['status'], u.env), 1, new RegExp(`OCM answered 404 Not Found: Cluster '${SEED.demo.id}' not found`))
    } finally {
      s.sim.clusters = saved
    }

    writeFileSync(u.kubeconfig, 'clusters: [\n')
    expectOneErrorLine(await backplane(['status'], u.env), 1, /kubeconfig/)
    expectOneErrorLine(await backplane(['status', '--nope'], u.env), 2, /Nonexistent flag: --nope/)
  })
})
