import {expect} from 'chai'
import {rmSync} from 'node:fs'

import {SEED, sessionAccountName} from '../../src/simulator/index.js'
import {backplane, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {useSimulator} from '../support/sim.js'

const B = SEED.busy
/** The check's own deadline is ~200 ms; on a loaded test machine it gets more, except where the deadline is tested. */
const ROOMY = {BACKPLANE_SESSIONS_TIMEOUT_MS: '5000'}
const SA_LIST = 'GET /backplane/cluster/'

describe('login: the report', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  afterEach(() => {
    for (const u of homes.splice(0)) rmSync(u.home, {force: true, recursive: true})
  })

  function user(extra: Record<string, string> = ROOMY): UserHome {
    const u = userHome(s.sim, extra)
    homes.push(u)
    return u
  }

  it('--cluster-info has Hypershift Enabled, Limited Support Status and Access Protection', async () => {
    const u = user()
    const r = await backplane(['login', B.name, '--cluster-info'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(/Hypershift Enabled: +false/).and.match(/Limited Support Status: +Limited Support/).and.match(/Access Protection: +Disabled/)
    const hcp = await backplane(['login', SEED.hcp.name, '--cluster-info'], u.env)
    expect(hcp.stdout).to.match(/Hypershift Enabled: +true/).and.match(/Limited Support Status: +Fully Supported/)
    expect(s.sim.requests.some((q) => q.path === `/api/access_transparency/v1/access_protection?clusterId=${SEED.hcp.id}`)).to.equal(true)
  })

  it('limited support is a warning on every login; other sessions are one line, the caller and non-backplane accounts left out', async () => {
    const u = user()
    const r = await backplane(['login', B.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal(`Warning: busy-cluster is in limited support (1 reason): see ocm get /api/clusters_mgmt/v1/clusters/${B.id}/limited_support_reasons\n`)
    expect(r.stdout).to.include('2 other backplane sessions on this cluster: cee (1), srep (1)')
    // The caller's own account (created by this login, in srep) is not counted, found through SelfSubjectReview.
    const cluster = s.sim.clusters.find((c) => c.id === B.id)!
    expect(cluster.sim.serviceAccounts.map((sa) => sa.name)).to.include(sessionAccountName('sre-demo'))
    const review = s.sim.requests.filter((q) => q.path === `/backplane/cluster/${B.id}/apis/authentication.k8s.io/v1/selfsubjectreviews`).at(-1)!
    expect(review.method).to.equal('POST')
    const lists = s.sim.requests.filter((q) => q.path.startsWith(`/backplane/cluster/${B.id}/api/v1/namespaces/openshift-backplane-`)).map((q) => decodeURIComponent(q.path))
    for (const ns of ['cee', 'mcs-tier-two', 'lpsre', 'srep']) expect(lists).to.include(`/backplane/cluster/${B.id}/api/v1/namespaces/openshift-backplane-${ns}/serviceaccounts?labelSelector=managed.openshift.io/backplane=true`)

    const json = JSON.parse((await backplane(['login', B.name, '--json'], u.env)).stdout)
    expect(json.otherSessions).to.deep.equal({byRole: {cee: 1, srep: 1}, total: 2})
    // A cluster where only the caller is: nothing is said.
    const alone = await backplane(['login', SEED.demo.name], u.env)
    expect(alone.stdout).not.to.include('other backplane session')
    expect(alone.stderr).to.equal('')
  })

  it('without SelfSubjectReview the md5 of the username is the caller; --no-sessions and show-other-sessions: false skip the check', async () => {
    const u = user()
    s.sim.setFault('POST /backplane/cluster/', {body: '{"kind":"Status","code":403}', status: 403})
    try {
      const r = await backplane(['login', B.name], u.env)
      expect(r.stdout).to.include('2 other backplane sessions on this cluster: cee (1), srep (1)')
    } finally {
      s.sim.setFault('POST /backplane/cluster/', undefined)
    }

    const before = s.sim.requests.length
    expect((await backplane(['login', B.name, '--no-sessions'], u.env)).stdout).not.to.include('other backplane session')
    editBackplaneConfig(u, {'show-other-sessions': false})
    expect((await backplane(['login', B.name], u.env)).stdout).not.to.include('other backplane session')
    expect(s.sim.requests.slice(before).some((q) => q.path.includes('serviceaccounts'))).to.equal(false)
  })

  it('a slow or failing check adds at most its deadline and is silent unless --verbose', async () => {
    const u = user({})
    s.sim.setFault(SA_LIST + B.id + '/api/v1/namespaces/openshift-backplane-cee', {delayMs: 3000})
    try {
      const started = Date.now()
      const r = await backplane(['login', B.name], u.env)
      const took = Date.now() - started
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).not.to.include('other backplane session')
      expect(r.stderr).not.to.include('sessions')
      // The delayed list would hold the login 3 s; the check gives up after its 200 ms.
      expect(took, `login took ${took} ms`).to.be.below(2800)
      const verbose = await backplane(['login', B.name, '--verbose'], u.env)
      expect(verbose.code, verbose.stderr).to.equal(0)
      expect(verbose.stderr).to.include('backplane: could not look for other backplane sessions: no answer within 200 ms')
    } finally {
      s.sim.setFault(SA_LIST + B.id + '/api/v1/namespaces/openshift-backplane-cee', undefined)
    }

    s.sim.setFault(SA_LIST + B.id + '/api/v1/namespaces/openshift-backplane-srep', {body: '{}', status: 500})
    try {
      const r = await backplane(['login', B.name], user().env)
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).not.to.include('other backplane session')
    } finally {
      s.sim.setFault(SA_LIST + B.id + '/api/v1/namespaces/openshift-backplane-srep', undefined)
    }
  })
})
