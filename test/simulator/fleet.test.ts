import {expect} from 'chai'

import {ClusterDirectory} from '../../src/lib/ocm/clusters.js'
import {OcmSession} from '../../src/lib/ocm/session.js'
import {faultIndexes, generateFleet, MAX_PAGE_SIZE, SEED, seedClusters, startSimulator, type Simulator} from '../../src/simulator/index.js'
import {call} from './helpers.js'

interface ClusterList {
  items: Array<{id: string; name: string}>
  page: number
  size: number
  total: number
}

describe('simulator: a generated fleet', function () {
  this.timeout(60_000)

  it('is deterministic, with unique OCM-shaped ids and realistic names, versions and regions', () => {
    const a = generateFleet(2000)
    const b = generateFleet(2000)
    expect(a.map((c) => c.id)).to.deep.equal(b.map((c) => c.id))
    expect(new Set(a.map((c) => c.id)).size).to.equal(2000)
    expect(new Set(a.map((c) => c.name)).size).to.equal(2000)
    const seedIds = new Set<string>(Object.values(SEED).map((c) => c.id))
    for (const c of a) {
      expect(c.id).to.match(/^[a-z0-9]{32}$/)
      expect(seedIds.has(c.id)).to.equal(false)
      expect(c.name).to.match(/^[a-z]+(-[a-z]+)?-(prod|stage|dev|qa|perf)-[a-z]+\d+-\d{4}$/)
      expect(c.openshift_version).to.match(/^4\.1[4-7]\.\d+$/)
      expect(c.external_id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(c.status.state).to.equal('ready')
    }

    // A mix, not one value: several clouds, regions, minors and products.
    expect(new Set(a.map((c) => c.cloud_provider.id))).to.have.keys('aws', 'gcp')
    expect(new Set(a.map((c) => c.region.id)).size).to.be.greaterThan(8)
    expect(new Set(a.map((c) => c.openshift_version.split('.')[1])).size).to.equal(4)
    expect(new Set(a.map((c) => c.product.id))).to.have.keys('rosa', 'osd')
  })

  it('puts its faults at fixed places', () => {
    const fleet = generateFleet(40, {faults: true})
    const at = faultIndexes(40)!
    expect(fleet[at.error]!.sim.kubeFault).to.equal('error')
    expect(fleet[at.hang]!.sim.kubeFault).to.equal('hang')
    expect(fleet[at.hibernating]!.status.state).to.equal('hibernating')
    expect(fleet[at['login-forbidden']]!.sim.loginForbidden).to.equal(true)
    expect(fleet.filter((c) => c.sim.kubeFault || c.sim.loginForbidden || c.status.state !== 'ready')).to.have.length(4)
  })

  /** The hand-written clusters every simulator has, before the generated ones. */
  const SEEDS = seedClusters().length

  describe('served', () => {
    let sim: Simulator
    let token: string
    before(async () => {
      sim = await startSimulator({clusters: 950, faults: true, quiet: true})
      token = sim.issueAccessToken()
    })
    after(async () => {
      await sim.stop()
    })

    it('lists at most 100 clusters a page, whatever size asks for', async () => {
      const total = sim.clusters.length
      expect(total).to.equal(SEEDS + 950)
      const page1 = (await call(sim, '/api/clusters_mgmt/v1/clusters?size=500', {token})).json<ClusterList>()
      expect(page1).to.include({page: 1, size: MAX_PAGE_SIZE, total})
      const pages = Math.ceil(total / MAX_PAGE_SIZE)
      const last = (await call(sim, `/api/clusters_mgmt/v1/clusters?size=500&page=${pages}`, {token})).json<ClusterList>()
      expect(last).to.include({page: pages, size: total - (pages - 1) * MAX_PAGE_SIZE, total})
      expect(last.items.map((c) => c.id)).to.deep.equal(sim.clusters.slice((pages - 1) * MAX_PAGE_SIZE).map((c) => c.id))
    })

    it('answers the Kubernetes API of every generated cluster, and plays its faults', async () => {
      const fleet = sim.clusters.slice(SEEDS)
      const at = faultIndexes(950)!
      const healthy = fleet.filter((_c, i) => !Object.values(at).includes(i))
      for (const c of [healthy[0]!, healthy.at(-1)!]) {
        const res = await call(sim, `/backplane/cluster/${c.id}/api/v1/namespaces`, {token})
        expect(res.status, c.name).to.equal(200)
        expect(res.json<{items: Array<{metadata: {name: string}}>}>().items.map((n) => n.metadata.name)).to.include('default')
      }

      expect((await call(sim, `/backplane/cluster/${fleet[at.error]!.id}/api/v1/namespaces`, {token})).status).to.equal(500)
      expect((await call(sim, `/backplane/login/${fleet[at['login-forbidden']]!.id}`, {method: 'POST', token})).status).to.equal(403)
      expect((await call(sim, `/backplane/login/${fleet[at.hibernating]!.id}`, {method: 'POST', token})).status).to.equal(400)
      const hung = await Promise.race([
        call(sim, `/backplane/cluster/${fleet[at.hang]!.id}/api/v1/namespaces`, {token}).then(() => 'answered', () => 'failed'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), 700)),
      ])
      expect(hung).to.equal('still waiting')
    })

    it('the CLI reads every page, at most 4 at a time, and keeps OCM order', async () => {
      const directory = new ClusterDirectory(new OcmSession({ca: sim.caPem, env: {OCM_CONFIG: sim.ocmConfigPath}, userAgent: 'test'}))
      sim.setFault('GET /api/clusters_mgmt/v1/clusters', {delayMs: 150})
      const from = sim.requests.length
      let result
      try {
        result = await directory.searchAll('')
      } finally {
        sim.setFault('GET /api/clusters_mgmt/v1/clusters', undefined)
      }

      expect(result.total).to.equal(SEEDS + 950)
      expect(result.clusters.map((c) => c.id)).to.deep.equal(sim.clusters.map((c) => c.id))
      const pages = sim.requests.slice(from).filter((r) => r.path.startsWith('/api/clusters_mgmt/v1/clusters?'))
      const numbers = pages.map((r) => Number(new URL(r.path, sim.url).searchParams.get('page')))
      expect([...numbers].sort((x, y) => x - y)).to.deep.equal(Array.from({length: Math.ceil((SEEDS + 950) / MAX_PAGE_SIZE)}, (_, i) => i + 1))
      expect(numbers[0]).to.equal(1)
      // Every page is held 150 ms: requests that arrive within 100 ms of each other were in flight together.
      const times = pages.map((r) => r.time).sort((x, y) => x - y)
      const together = times.map((t) => times.filter((u) => u >= t && u - t < 100).length)
      expect(Math.max(...together)).to.equal(4)
      // Page 1 (which says how many there are) came first, alone.
      expect(times[1]! - times[0]!).to.be.greaterThanOrEqual(140)
    })
  })
})
