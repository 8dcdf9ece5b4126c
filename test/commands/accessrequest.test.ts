import {expect} from 'chai'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {parse, stringify} from 'yaml'

import {JIRA_ISSUES, SEED, SIM_JIRA_EMAIL, SIM_JIRA_TOKEN, type Simulator, startSimulator} from '../../src/simulator/index.js'
import {backplane, kubectl, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const P = SEED.protected
const AT = '/api/access_transparency/v1'

/** The simulator's debug call, as a person would make it with curl. */
function debugApprove(sim: Simulator, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${sim.url}/debug/access_requests/${id}/approve`, {ca: sim.caPem, method: 'POST'}, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('accessrequest', function () {
  this.timeout(120_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  afterEach(() => {
    for (const u of homes.splice(0)) rmSync(u.home, {force: true, recursive: true})
    s.sim.accessRequests.requests.splice(0)
  })

  function user(keys: Record<string, unknown> = {}): UserHome {
    const u = userHome(s.sim)
    homes.push(u)
    editBackplaneConfig(u, {'jira-base-url': s.sim.jiraUrl, 'jira-email': SIM_JIRA_EMAIL, 'jira-token': SIM_JIRA_TOKEN, ...keys})
    return u
  }

  it('the life of a request: login refused with the way in, create, pending, approved, login, expire', async () => {
    const u = user()
    expectOneErrorLine(
      await backplane(['login', P.name], u.env),
      1,
      `Error: access protection is enabled on ${P.name} (${P.id}) — request access with \`backplane accessrequest create -c ${P.id} -r <reason>\``,
    )
    expect(existsSync(u.kubeconfig)).to.equal(false)

    const created = await backplane(['accessrequest', 'create', '-c', P.name, '-r', 'OHSS-1001: console down', '-n', 'SDAINT-42'], u.env)
    expect(created.code, created.stderr).to.equal(0)
    const [request] = s.sim.accessRequests.requests
    expect(request).to.include({cluster_id: P.id, duration: '8h0m0s', internal_support_case_id: 'SDAINT-42', justification: 'OHSS-1001: console down', requested_by: 'sre-demo'})
    expect(created.stdout).to.include(`Access request ${request!.id} for cluster ${P.id}:`).and.include('Status:                      Pending')
    expect(created.stdout).to.include(`Notification issue:          ${s.sim.jiraUrl}/browse/SDAINT-42`).and.include('Requested approval duration: 8h0m0s')
    const search = s.sim.requests.find((q) => q.path.startsWith(`${AT}/access_requests?`))!
    expect(new URL(search.path, s.sim.url).searchParams.get('search')).to.equal(`cluster_id='${P.id}' and (status.state='Pending' or status.state='Approved')`)

    expectOneErrorLine(await backplane(['login', P.name], u.env), 1, new RegExp(`access protection is enabled on ${P.name} \\(${P.id}\\): access request ${request!.id} is Pending — wait for the customer`))
    // A second create shows the request there is instead of making another.
    const again = await backplane(['accessrequest', 'create', '-c', P.name, '-r', 'again', '-n', 'SDAINT-42'], u.env)
    expect(again.code, again.stderr).to.equal(0)
    expect(again.stderr).to.include('already has an active access request; no new one was created')
    expect(s.sim.accessRequests.requests).to.have.length(1)

    expect(await debugApprove(s.sim, request!.id)).to.equal(200)
    const got = await backplane(['accessRequest', 'get', '-c', P.name], u.env)
    expect(got.code, got.stderr).to.equal(0)
    expect(got.stdout).to.include('Status:                Approved').and.include(`Approval expires at:   ${request!.status.expires_at}`)
    const raw = JSON.parse((await backplane(['accessrequests', 'get', '-c', P.name, '--json'], u.env)).stdout)
    expect(raw).to.include({cluster_id: P.id, id: request!.id, kind: 'AccessRequest'})

    const login = await backplane(['login', P.name], u.env)
    expect(login.code, login.stderr).to.equal(0)
    expect((await kubectl(['get', 'ns', 'default', '-o', 'name'], u.env)).stdout).to.equal('namespace/default\n')

    // The current context's cluster is the default of -c.
    const expired = await backplane(['accessrequest', 'expire'], u.env)
    expect(expired.code, expired.stderr).to.equal(0)
    expect(expired.stdout).to.equal(`Access request ${request!.id} for cluster ${P.id} has been expired.\n`)
    const decision = s.sim.requests.filter((q) => q.path === `${AT}/access_requests/${request!.id}/decisions`).at(-1)!
    expect(JSON.parse(decision.body)).to.include({decision: 'Expired'})
    expectOneErrorLine(await backplane(['accessrequest', 'expire'], u.env), 1, new RegExp(`cluster ${P.id} has no pending or approved access request to expire`))
    const none = await backplane(['accessrequest', 'get'], u.env)
    expect(none.code, none.stderr).to.equal(0)
    expect(none.stdout).to.include(`No pending or approved access request for cluster ${P.id}.`)
    expect(JSON.parse((await backplane(['accessrequest', 'get', '--json'], u.env)).stdout)).to.equal(null)
  })

  it('without --notification-issue a JIRA issue is created (SDAINT outside production, OHSS on it); a JIRA failure creates nothing', async () => {
    const u = user()
    const r = await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'checking etcd', '-d', '1h30m'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const issue = s.sim.jira.created.at(-1)!
    expect(issue.fields).to.deep.include({issuetype: {name: 'Story'}, project: {key: 'SDAINT'}, summary: `Access request tracker for cluster '${P.id}'`})
    expect(r.stderr).to.include(`Created JIRA issue ${issue.key} for the notifications.`)
    expect(s.sim.accessRequests.requests[0]).to.include({duration: '1h30m0s', internal_support_case_id: issue.key})
    s.sim.accessRequests.requests.splice(0)

    // The simulator's OCM environment is "simulator": named as prod-env-name, it is production.
    const prod = user({'prod-env-name': 'simulator'})
    expect((await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'prod'], prod.env)).code).to.equal(0)
    expect(s.sim.jira.created.at(-1)!.fields).to.deep.include({issuetype: {name: 'Incident'}, project: {key: 'OHSS'}})
    s.sim.accessRequests.requests.splice(0)
    // jira-config-for-access-requests overrides Go's defaults.
    const custom = user({'jira-config-for-access-requests': {'default-issue-type': 'Task', 'default-project': 'SREP'}})
    expect((await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'custom'], custom.env)).code).to.equal(0)
    expect(s.sim.jira.created.at(-1)!.fields).to.deep.include({issuetype: {name: 'Task'}, project: {key: 'SREP'}})
    s.sim.accessRequests.requests.splice(0)

    const bad = user({'jira-token': 'wrong'})
    expectOneErrorLine(
      await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'x'], bad.env),
      1,
      /could not create the JIRA notification issue in SDAINT \(JIRA rejected the credentials \(401 Unauthorized\)\); no access request was created — create the issue yourself and pass it with --notification-issue/,
    )
    expect(s.sim.accessRequests.requests).to.have.length(0)
    expectOneErrorLine(await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'x', '-n', JIRA_ISSUES.demo], u.env), 2, /notification issue OHSS-1001 is not in a test project \(SDAINT\)/)
  })

  it('bad durations, a missing reason, an unprotected cluster: one line each, no access request', async () => {
    const u = user()
    const before = s.sim.requests.length
    for (const d of ['30s', '25h', '1d', 'abc', '']) {
      expectOneErrorLine(await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'x', '-d', d], u.env), 2, /invalid approval duration|out of range/)
    }

    expectOneErrorLine(await backplane(['accessrequest', 'create', '-c', P.id], u.env), 2, /no reason given — pass -r\/--reason/)
    expectOneErrorLine(await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'x', '-n', 'not a key'], u.env), 2, /invalid notification issue "not a key"/)
    expect(s.sim.requests.length).to.equal(before)
    expectOneErrorLine(await backplane(['accessrequest', 'get', '-c', SEED.demo.name], u.env), 1, new RegExp(`access protection is not enabled on cluster ${SEED.demo.id} — no access request is needed`))
    expectOneErrorLine(await backplane(['accessrequest', 'get'], u.env), 1, /no cluster — log in first or pass --cluster-id/)
    // A cluster without protection keeps backplane's own 403.
    expectOneErrorLine(await backplane(['login', SEED.forbidden.name], u.env), 1, /backplane answered 403 Forbidden/)
    expect(s.sim.accessRequests.requests).to.have.length(0)
  })

  it('no --reason: the elevation reason of the current context', async () => {
    const u = user()
    // A context on the protected cluster, with an ElevateContext reason (as login --pd leaves it).
    s.sim.accessRequests.requests.splice(0)
    const first = await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'first', '-n', 'SDAINT-42'], u.env)
    expect(first.code, first.stderr).to.equal(0)
    await debugApprove(s.sim, s.sim.accessRequests.requests[0]!.id)
    expect((await backplane(['login', P.name], u.env)).code).to.equal(0)
    expect((await backplane(['accessrequest', 'expire'], u.env)).code).to.equal(0)
    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    config.contexts[0].context.extensions = [{extension: {lastUsed: new Date().toISOString(), reasons: ['https://acme.pagerduty.com/incidents/Q1']}, name: 'ElevateContext'}]
    writeFileSync(u.kubeconfig, stringify(config), {mode: 0o600})

    const r = await backplane(['accessrequest', 'create', '-n', 'SDAINT-42'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.include('Reason from the current context: https://acme.pagerduty.com/incidents/Q1')
    expect(s.sim.accessRequests.requests.at(-1)).to.include({justification: 'https://acme.pagerduty.com/incidents/Q1'})
  })
})

describe('accessrequest: the customer approves after a delay', function () {
  this.timeout(60_000)
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({accessRequests: {approveAfterMs: 300}, quiet: true})
  })
  after(async () => sim.stop())

  it('a pending request turns Approved on its own, and login then works', async () => {
    const u = userHome(sim)
    try {
      expect((await backplane(['accessrequest', 'create', '-c', P.id, '-r', 'x', '-n', 'SDAINT-7'], u.env)).code).to.equal(0)
      await new Promise((resolve) => setTimeout(resolve, 600))
      expect((await backplane(['accessrequest', 'get', '-c', P.id], u.env)).stdout).to.include('Approved')
      expect((await backplane(['login', P.name], u.env)).code).to.equal(0)
    } finally {
      rmSync(u.home, {force: true, recursive: true})
    }
  })
})
