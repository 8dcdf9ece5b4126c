import {expect} from 'chai'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {parse} from 'yaml'

import {JIRA_ISSUES, SEED, SIM_JIRA_EMAIL, SIM_JIRA_TOKEN} from '../../src/simulator/index.js'
import {backplane, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

describe('login --ohss', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const homes: UserHome[] = []
  afterEach(() => {
    for (const u of homes.splice(0)) rmSync(u.home, {force: true, recursive: true})
  })

  function jiraUser(keys: Record<string, unknown> = {}, extra: Record<string, string> = {}): UserHome {
    const u = userHome(s.sim, extra)
    homes.push(u)
    editBackplaneConfig(u, {'jira-base-url': s.sim.jiraUrl, 'jira-email': SIM_JIRA_EMAIL, 'jira-token': SIM_JIRA_TOKEN, ...keys})
    return u
  }

  it('logs in to the cluster of the ticket (customfield_10852) and records <jira-base-url>/browse/<KEY> as the reason', async () => {
    const u = jiraUser()
    const r = await backplane(['login', '--ohss', JIRA_ISSUES.demo], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    expect(r.stdout).to.include(`${JIRA_ISSUES.demo} is about demo-cluster (${SEED.demo.id}).`)
    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(config['current-context']).to.equal('default/demo-cluster/sre-demo')
    const ext = config.contexts[0].context.extensions.find((e: {name: string}) => e.name === 'ElevateContext').extension
    expect(ext.reasons).to.deep.equal([`${s.sim.jiraUrl}/browse/${JIRA_ISSUES.demo}`])

    const get = s.sim.requests.filter((q) => q.path.startsWith(`/jira/rest/api/2/issue/${JIRA_ISSUES.demo}`)).at(-1)!
    expect(get.path).to.equal(`/jira/rest/api/2/issue/${JIRA_ISSUES.demo}?fields=project%2Csummary%2Ccustomfield_10852`)
    expect(get.headers.authorization).to.equal(`Basic ${Buffer.from(`${SIM_JIRA_EMAIL}:${SIM_JIRA_TOKEN}`).toString('base64')}`)
  })

  it('JIRA_EMAIL and JIRA_API_TOKEN win over the config; an external id in the ticket resolves; login flags apply', async () => {
    const u = jiraUser({'jira-email': 'wrong@example.com', 'jira-token': 'wrong'}, {JIRA_API_TOKEN: SIM_JIRA_TOKEN, JIRA_EMAIL: SIM_JIRA_EMAIL})
    const r = await backplane(['login', '--ohss', JIRA_ISSUES.gcp.toLowerCase(), '-n', 'openshift-monitoring', '--readonly'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(parse(readFileSync(u.kubeconfig, 'utf8'))['current-context']).to.equal('openshift-monitoring/gcp-cluster/sre-demo')
    expect(s.sim.requests.filter((q) => q.path.startsWith('/backplane/login/')).at(-1)?.path).to.equal(`/backplane/login/${SEED.gcp.id}?readonly=true`)
  })

  it('a ticket outside OHSS, one without a cluster, an unknown one, bad or missing credentials: one line each, nothing written', async () => {
    const u = jiraUser()
    expectOneErrorLine(await backplane(['login', '--ohss', JIRA_ISSUES.otherProject], u.env), 1, /^Error: SDAINT-42 belongs to SDAINT, not to the OHSS project — /)
    expectOneErrorLine(await backplane(['login', '--ohss', JIRA_ISSUES.noCluster], u.env), 1, /OHSS-1003 names no cluster \(its customfield_10852 is empty\)/)
    expectOneErrorLine(await backplane(['login', '--ohss', 'OHSS-999999'], u.env), 1, /JIRA has no issue OHSS-999999, or you may not see it \(404\)/)
    expectOneErrorLine(await backplane(['login', '--ohss', JIRA_ISSUES.demo], jiraUser({'jira-token': 'wrong'}).env), 1, /JIRA rejected the credentials \(401 Unauthorized\) — check jira-email and jira-token/)
    expectOneErrorLine(await backplane(['login', '--ohss', JIRA_ISSUES.demo], jiraUser({'jira-token': undefined}).env), 1, /^Error: no JIRA API token — set JIRA_API_TOKEN, or run `backplane config set jira-token <token>`$/)
    expectOneErrorLine(await backplane(['login', '--ohss', JIRA_ISSUES.demo], jiraUser({'jira-email': undefined}).env), 1, /^Error: no JIRA email — set JIRA_EMAIL, or run `backplane config set jira-email <email>`$/)
    for (const h of homes) expect(existsSync(h.kubeconfig)).to.equal(false)
  })

  it('--ohss with --pd or a cluster, or a malformed key: usage errors before any request', async () => {
    const u = jiraUser()
    const before = s.sim.requests.length
    expectOneErrorLine(await backplane(['login', '--ohss', JIRA_ISSUES.demo, '--pd', 'Q1ABC'], u.env), 2, /give one of --pd, --ohss, not several/)
    expectOneErrorLine(await backplane(['login', SEED.demo.name, '--ohss', JIRA_ISSUES.demo], u.env), 2, /give one of a cluster, --ohss, not several/)
    expectOneErrorLine(await backplane(['login', '--ohss', 'not a key'], u.env), 2, /invalid OHSS ticket "not a key"/)
    expect(s.sim.requests.length).to.equal(before)
  })
})
