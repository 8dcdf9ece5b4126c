import {expect} from 'chai'
import {writeFileSync} from 'node:fs'

import {SEED} from '../../src/simulator/index.js'
import {backplane, runProgram, userHome, type UserHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'
import {expectOneErrorLine} from '../support/expect.js'

/** A user who logged in to demo-cluster: the current kubeconfig context is a backplane one. */
async function loggedIn(sim: Parameters<typeof userHome>[0]): Promise<UserHome> {
  const u = userHome(sim)
  const r = await backplane(['login', SEED.demo.name], u.env)
  expect(r.code, r.stderr).to.equal(0)
  return u
}

describe('script list', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let u: UserHome
  before(async () => {
    u = await loggedIn(s.sim)
  })

  it('lists the scripts of the current context\'s cluster: NAME / DESCRIPTION, first line only, full width off a TTY', async () => {
    const r = await backplane(['script', 'list'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^NAME +DESCRIPTION$/)
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).to.deep.equal(['sre/cluster-health', 'sre/restart-pods', 'sre/collect-namespace-logs', 'sre/selftest'])
    expect(r.stdout).to.include('Summarise node, cluster operator and pod health')
    expect(r.stdout).not.to.include('sre-admin/drain-node')
    expect(s.sim.requests.at(-1)?.path).to.equal(`/backplane/script/${SEED.demo.id}`)
  })

  it('the scripts topic alias and the ls alias; -c resolves the cluster through OCM (name, id, external id)', async () => {
    for (const key of [SEED.prodEast1.name, SEED.prodEast1.id, SEED.prodEast1.externalId]) {
      const r = await backplane(['scripts', 'ls', '-c', key], u.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.include('sre/restart-pods')
      expect(s.sim.requests.at(-1)?.path).to.equal(`/backplane/script/${SEED.prodEast1.id}`)
    }

    const r = await backplane(['script', 'ls', '--cluster-id', SEED.gcp.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(s.sim.requests.at(-1)?.path).to.equal(`/backplane/script/${SEED.gcp.id}`)
  })

  it('--all lists every script, with an ALLOWED GROUPS column last (as Go)', async () => {
    const r = await backplane(['script', 'list', '--all'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^NAME +DESCRIPTION +ALLOWED GROUPS$/)
    expect(lines).to.have.length(6)
    expect(r.stdout).to.match(/sre-admin\/drain-node +Cordon and drain a node.* +sre-admins$/m)
    expect(r.stdout).to.match(/sre\/cluster-health +Summarise.* +sre, cee$/m)
    expect(s.sim.requests.at(-1)?.path).to.equal(`/backplane/script/${SEED.demo.id}/all`)
  })

  it('truncates the description to the terminal width on a TTY', async () => {
    const r = await runProgram('script', ['-qec', `stty cols 50; '${process.execPath}' bin/run.js script list`, '/dev/null'], u.env)
    expect(r.code, r.stdout).to.equal(0)
    const lines = r.stdout.replaceAll('\r', '').trimEnd().split('\n')
    expect(lines[0]).to.match(/^NAME +DESCRIPTION$/)
    for (const line of lines) expect([...line].length).to.be.at.most(50)
    expect(lines[1]).to.match(/^sre\/cluster-health +Summarise node, clust…$/)
  })

  it('--json prints the scripts as backplane returned them', async () => {
    const r = await backplane(['script', 'list', '--json'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const scripts = JSON.parse(r.stdout)
    expect(scripts.map((x: {canonicalName: string}) => x.canonicalName)).to.deep.equal(['sre/cluster-health', 'sre/restart-pods', 'sre/collect-namespace-logs', 'sre/selftest'])
    expect(scripts[1].envs[0]).to.deep.equal({description: 'namespace of the pods to restart', key: 'NAMESPACE', optional: false})
  })

  it('an empty list is a friendly message, exit 0', async () => {
    s.sim.setFault('GET /backplane/script/', {body: '[]', status: 200, times: 2})
    try {
      const r = await backplane(['script', 'list'], u.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout.trim()).to.equal(`No scripts available for this cluster (${SEED.demo.id}).`)
      const json = await backplane(['script', 'list', '--json'], u.env)
      expect(JSON.parse(json.stdout)).to.deep.equal([])
    } finally {
      s.sim.setFault('GET /backplane/script/', undefined)
    }
  })
})

describe('script describe', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let u: UserHome
  before(async () => {
    u = await loggedIn(s.sim)
  })

  it('prints name, author, description, groups, language, permalink, then required and optional parameters', async () => {
    const r = await backplane(['script', 'describe', 'sre/restart-pods'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(
      [
        'Canonical name: sre/restart-pods',
        'Author:         asmith',
        'Description:    Delete the pods of a namespace (optionally only those matching a label selector) so that their controllers recreate them.',
        'Allowed groups: sre',
        'Language:       bash',
        'Permalink:      https://github.com/openshift/managed-scripts/blob/main/scripts/sre/restart-pods/script.sh',
        'Customer data:  no',
        '',
        'Required parameters:',
        '  NAMESPACE  namespace of the pods to restart',
        'Optional parameters:',
        '  LABEL_SELECTOR  only restart the pods matching this label selector',
        '  DRY_RUN         when "true", only list the pods that would be restarted',
        '',
      ].join('\n'),
    )
    expect(s.sim.requests.at(-1)?.path).to.equal(`/backplane/script/${SEED.demo.id}?scriptname=sre%2Frestart-pods`)
  })

  it('a multi-line description keeps its lines; a script without parameters says so', async () => {
    const r = await backplane(['scripts', 'describe', 'sre/cluster-health', '-c', SEED.gcp.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('Description:    Summarise the health of the cluster.\n                Checks that every node is Ready')
    expect(r.stdout.trimEnd().split('\n').at(-1)).to.equal('Parameters: none')
  })

  it('--json prints the script object', async () => {
    const r = await backplane(['script', 'describe', 'sre/selftest', '--json'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const script = JSON.parse(r.stdout)
    expect(script).to.include({author: 'backplane-team', canonicalName: 'sre/selftest', language: 'bash'})
    expect(script.envs.map((e: {key: string}) => e.key)).to.deep.equal(['LINES', 'SIZE_MB', 'FAIL'])
  })

  it('missing fields are shown as -, never a crash', async () => {
    s.sim.setFault('GET /backplane/script/', {body: '[{"canonicalName":"legacy/old","envs":[{"key":"X"},{"optional":true},null]}]', status: 200, times: 1})
    try {
      const r = await backplane(['script', 'describe', 'legacy/old'], u.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.match(/^Author: +-$/m).and.match(/^Description: +-$/m).and.match(/^Allowed groups: +-$/m).and.match(/^Permalink: +-$/m)
      expect(r.stdout).to.include('Required parameters:\n  X  -\nOptional parameters: none')
    } finally {
      s.sim.setFault('GET /backplane/script/', undefined)
    }
  })
})

describe('script: bad input', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let u: UserHome
  before(async () => {
    u = await loggedIn(s.sim)
  })

  it('an unknown script (404, or an empty list) is a clear error', async () => {
    const r = await backplane(['script', 'describe', 'sre/nope'], u.env)
    expectOneErrorLine(r, 1, new RegExp(`^Error: no script "sre/nope" on cluster ${SEED.demo.id} — list them with 'backplane script list'$`))
    s.sim.setFault('GET /backplane/script/', {body: '[]', status: 200, times: 1})
    const empty = await backplane(['script', 'describe', 'sre/nope'], u.env)
    expectOneErrorLine(empty, 1, /no script "sre\/nope"/)
  })

  it('no cluster: no current context, or one that is not a backplane context', async () => {
    const fresh = userHome(s.sim)
    for (const args of [['script', 'list'], ['script', 'describe', 'sre/restart-pods']]) {
      const r = await backplane(args, fresh.env)
      expectOneErrorLine(r, 1, /^Error: no cluster — log in first or pass --cluster-id$/)
      expect(r.stdout).to.equal('')
    }

    writeFileSync(fresh.kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: k, cluster: {server: "https://api.kind.local:6443"}}]\ncontexts: [{name: kind, context: {cluster: k, user: u}}]\ncurrent-context: kind\nusers: [{name: u, user: {}}]\n')
    expectOneErrorLine(await backplane(['script', 'list'], fresh.env), 1, /^Error: no cluster — /)
  })

  it('unknown cluster key, invalid cluster key', async () => {
    expectOneErrorLine(await backplane(['script', 'list', '-c', 'no-such-cluster'], u.env), 1, /no cluster matches "no-such-cluster"/)
    expectOneErrorLine(await backplane(['script', 'list', '-c', 'a/b'], u.env), 2, /invalid cluster "a\/b"/)
    expectOneErrorLine(await backplane(['script', 'describe'], u.env), 2, /Missing 1 required arg/)
  })

  it('API errors with JSON, HTML or empty bodies, and a body that is not a list', async () => {
    const cases: Array<[number, string, string, RegExp]> = [
      [403, '{"statusCode":403,"message":"user sre-demo may not list scripts"}', 'application/json', /backplane answered 403 Forbidden: user sre-demo may not list scripts — /],
      [500, '{"statusCode":500,"message":"Unable to get available scripts"}', 'application/json', /answered 500 Internal Server Error: Unable to get available scripts — backplane is failing: retry later$/],
      [502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html', /answered 502 Bad Gateway \("502 Bad Gateway"\)/],
      [400, '', 'text/plain', /answered 400 Bad Request with an empty body/],
      [200, '{"scripts":[]}', 'application/json', /answered the script list with an unexpected body \(not a list\)/],
      [200, '<html>login page</html>', 'text/html', /answered 200 with a body that is not JSON/],
    ]
    for (const [status, body, contentType, pattern] of cases) {
      s.sim.setFault('GET /backplane/script/', {body, contentType, status})
      try {
        const r = await backplane(['script', 'list'], {...u.env, BACKPLANE_TIMEOUT: '5'})
        expectOneErrorLine(r, 1, pattern)
        expect(r.stdout).to.equal('')
      } finally {
        s.sim.setFault('GET /backplane/script/', undefined)
      }
    }
  })

  it('a forbidden cluster: backplane\'s 403 message', async () => {
    expectOneErrorLine(await backplane(['script', 'list', '-c', SEED.forbidden.name], u.env), 1, /backplane answered 403 Forbidden: user sre-demo is not allowed to access cluster/)
  })

  it('errors with --json are a JSON object on stdout', async () => {
    const r = await backplane(['script', 'describe', 'sre/nope', '--json'], u.env)
    expect(r.code).to.equal(1)
    expect(JSON.parse(r.stdout)).to.deep.equal({
      error: {code: 'NOT_FOUND', exitCode: 1, hint: "list them with 'backplane script list'", message: `no script "sre/nope" on cluster ${SEED.demo.id}`},
    })
  })
})
