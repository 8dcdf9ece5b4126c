import {expect} from 'chai'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {backplane, kubectl, RUN, runProgram, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'
import {expectOneErrorLine} from '../support/expect.js'

const fixture = readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')
const HIVE_NS = `uhc-simulator-${SEED.demo.id}`
const HC_NAMESPACE = `ocm-simulator-${SEED.hcp.id}`

/** The path of a recorded request, and its `search` parameter decoded. */
function searchOf(path: string): {path: string; search: null | string} {
  const url = new URL(path, 'https://simulator.invalid')
  return {path: url.pathname, search: url.searchParams.get('search')}
}

describe('login --manager / --service', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('--manager of a classic cluster: its Hive shard (provision_shard → api.url), and export HIVE_NS', async () => {
    const u = userHome(s.sim)
    const before = s.sim.requests.length
    const r = await backplane(['login', SEED.demo.name, '--manager'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    expect(r.stdout.split('\n').filter(Boolean)).to.deep.equal([
      `Logged in to hive-shard-01 (${SEED.hive.id}), the Hive shard of demo-cluster (${SEED.demo.id}), through backplane.`,
      `Context default/hive-shard-01/sre-demo in ${u.kubeconfig} is now current: oc and kubectl target this cluster.`,
      'The namespaces of demo-cluster on hive-shard-01:',
      `export HIVE_NS='${HIVE_NS}'`,
    ])
    const paths = s.sim.requests.slice(before).map((q) => q.path)
    expect(paths).to.include(`/api/clusters_mgmt/v1/clusters/${SEED.demo.id}/provision_shard`)
    const hive = s.sim.clusters.find((c) => c.id === SEED.hive.id)!
    expect(paths.map((p) => searchOf(p).search)).to.include(`api.url = '${hive.api.url}'`)
    expect(paths).to.include(`/backplane/login/${SEED.hive.id}`)
    expect(paths.some((p) => p.startsWith(`/backplane/login/${SEED.demo.id}`))).to.equal(false)

    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(config['current-context']).to.equal('default/hive-shard-01/sre-demo')
    expect(config.clusters[0].cluster.server).to.equal(`${s.sim.backplaneUrl}/backplane/cluster/${SEED.hive.id}/`)
    // The namespace it printed is there on the shard.
    const ns = await kubectl(['get', 'namespace', HIVE_NS, '-o', 'name'], u.env)
    expect(ns.stderr).to.equal('')
    expect(ns.stdout.trim()).to.equal(`namespace/${HIVE_NS}`)
  })

  it('--manager of a HyperShift cluster with --multi: source it, and the exported namespaces are on the management cluster', async () => {
    const u = userHome(s.sim)
    const script = `source <("${process.execPath}" "${RUN}" login ${SEED.hcp.name} --manager --multi) && kubectl get namespace "$HC_NAMESPACE" "$HCP_NAMESPACE" "$KLUSTERLET_NS" -o name && echo "KUBECONFIG=$KUBECONFIG"`
    const r = await runProgram('bash', ['-c', script], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const mcConfig = join(u.home, '.kube', SEED.mgmt.id, 'config')
    expect(r.stdout.split('\n').filter(Boolean)).to.deep.equal([
      `namespace/${HC_NAMESPACE}`,
      `namespace/${HC_NAMESPACE}-hcp-demo`,
      `namespace/klusterlet-${SEED.hcp.id}`,
      `KUBECONFIG=${mcConfig}`,
    ])
    expect(r.stderr).to.include(`Logged in to hs-mc-us-east-1a (${SEED.mgmt.id}), the management cluster of hcp-cluster (${SEED.hcp.id}), through backplane.`)
    expect(existsSync(u.kubeconfig)).to.equal(false)
    expect(s.sim.requests.some((q) => q.path === `/api/clusters_mgmt/v1/clusters/${SEED.hcp.id}/hypershift`)).to.equal(true)
  })

  it('--service of a HyperShift cluster: its service cluster (through OSD fleet manager), and export MC_NAME', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['login', SEED.hcp.id, '--service'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.split('\n').filter(Boolean)
    expect(lines[0]).to.equal(`Logged in to hs-sc-us-east-1 (${SEED.svc.id}), the service cluster of hcp-cluster (${SEED.hcp.id}), through backplane.`)
    expect(lines).to.include(`The manifestworks of hcp-cluster: oc get manifestworks -n hs-mc-us-east-1a -l api.openshift.com/id=${SEED.hcp.id}`)
    expect(lines.at(-1)).to.equal("export MC_NAME='hs-mc-us-east-1a'")
    expect(s.sim.requests.map((q) => searchOf(q.path))).to.deep.include({path: '/api/osd_fleet_mgmt/v1/management_clusters', search: "name = 'hs-mc-us-east-1a'"})
    expect(parse(readFileSync(u.kubeconfig, 'utf8'))['current-context']).to.equal('default/hs-sc-us-east-1/sre-demo')
    const ns = await kubectl(['get', 'namespace', 'hs-mc-us-east-1a', '-o', 'name'], u.env)
    expect(ns.stdout.trim()).to.equal('namespace/hs-mc-us-east-1a')
  })

  it('--manager --service together (as Go allows): the service cluster, with the management cluster\'s namespaces and MC_NAME', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['login', SEED.hcp.name, '--manager', '--service'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.split('\n').filter(Boolean)
    expect(lines[0]).to.equal(`Logged in to hs-sc-us-east-1 (${SEED.svc.id}), the service cluster of hcp-cluster (${SEED.hcp.id}), through backplane.`)
    expect(lines.filter((l) => l.startsWith('export ')).sort()).to.deep.equal([
      `export HCP_NAMESPACE='${HC_NAMESPACE}-hcp-demo'`,
      `export HC_NAMESPACE='${HC_NAMESPACE}'`,
      `export KLUSTERLET_NS='klusterlet-${SEED.hcp.id}'`,
      "export MC_NAME='hs-mc-us-east-1a'",
    ])
  })

  it('--json describes the cluster logged in to, the one named, and the exports', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['login', SEED.hcp.name, '--manager', '--json'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(JSON.parse(r.stdout)).to.deep.equal({
      cluster: {id: SEED.mgmt.id, name: SEED.mgmt.name},
      context: `default/${SEED.mgmt.name}/sre-demo`,
      exports: {HC_NAMESPACE, HCP_NAMESPACE: `${HC_NAMESPACE}-hcp-demo`, KLUSTERLET_NS: `klusterlet-${SEED.hcp.id}`},
      kubeconfig: u.kubeconfig,
      relation: 'management-cluster',
      server: `${s.sim.backplaneUrl}/backplane/cluster/${SEED.mgmt.id}/`,
      target: {id: SEED.hcp.id, name: SEED.hcp.name},
    })
  })
})

describe('login --manager / --service: bad input', function () {
  this.timeout(60_000)
  const s = useSimulator()

  async function expectFailure(args: string[], code: number, pattern: RegExp) {
    const u = userHome(s.sim)
    writeFileSync(u.kubeconfig, fixture)
    const before = s.sim.requests.length
    const r = await backplane(args, u.env)
    expectOneErrorLine(r, code, pattern)
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(fixture)
    expect(s.sim.requests.slice(before).some((q) => q.path.startsWith('/backplane/login/'))).to.equal(false)
  }

  it('--service of a classic cluster, alone or with --manager', async () => {
    await expectFailure(['login', SEED.demo.name, '--service'], 1, /^Error: cluster demo-cluster is not a HyperShift \(hosted control plane\) cluster, so it has no service cluster — use --manager/)
    await expectFailure(['login', SEED.demo.name, '--manager', '--service'], 1, /^Error: cluster demo-cluster is not a HyperShift/)
  })

  it('OCM without the links: no management cluster, no shard, a shard no cluster matches, no service cluster', async () => {
    const find = (id: string) => s.sim.clusters.find((c) => c.id === id)!
    const hcp = find(SEED.hcp.id)
    const demo = find(SEED.demo.id)
    const mgmt = find(SEED.mgmt.id)
    const saved = {mc: hcp.sim.managementCluster, sc: mgmt.sim.serviceCluster, shard: demo.sim.provisionShard}
    try {
      hcp.sim.managementCluster = undefined
      await expectFailure(['login', SEED.hcp.name, '--manager'], 1, /OCM answered 404 Not Found: Cluster '.*' is not a hosted control plane cluster/)
      hcp.sim.managementCluster = 'hs-mc-gone'
      await expectFailure(['login', SEED.hcp.name, '--manager'], 1, /the management cluster hs-mc-gone is not in OCM/)
      hcp.sim.managementCluster = saved.mc
      mgmt.sim.serviceCluster = undefined
      await expectFailure(['login', SEED.hcp.name, '--service'], 1, /OSD fleet manager knows no service cluster for management cluster hs-mc-us-east-1a/)
      demo.sim.provisionShard = 'https://api.gone-shard.example.com:6443'
      await expectFailure(['login', SEED.demo.name, '--manager'], 1, /no cluster in OCM has the API URL of demo-cluster's Hive shard \(https:\/\/api\.gone-shard\.example\.com:6443\)/)
      demo.sim.provisionShard = undefined
      await expectFailure(['login', SEED.demo.name, '--manager'], 1, /OCM answered 404 Not Found: Provision shard for cluster/)
    } finally {
      hcp.sim.managementCluster = saved.mc
      mgmt.sim.serviceCluster = saved.sc
      demo.sim.provisionShard = saved.shard
    }
  })

  it('a hibernating management cluster is refused like any other', async () => {
    const mgmt = s.sim.clusters.find((c) => c.id === SEED.mgmt.id)!
    mgmt.status.state = 'hibernating'
    try {
      await expectFailure(['login', SEED.hcp.name, '--manager'], 1, /^Error: cluster hs-mc-us-east-1a is hibernating — resume it before logging in$/)
    } finally {
      mgmt.status.state = 'ready'
    }
  })
})
