import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {makeCluster, SEED} from '../../src/simulator/index.js'
import {backplane} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useHomes, useSimulator} from '../support/sim.js'

describe('hostile ids: nothing the server says becomes a path or a URL segment unchecked', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const home = useHomes(s)

  before(() => {
    s.sim.clusters.push(
      makeCluster({externalId: '00000000-0000-4000-8000-00000000d070', id: '.', name: 'dot-cluster'}),
      makeCluster({externalId: '00000000-0000-4000-8000-00000000d071', id: '../../x', name: 'climb-cluster'}),
    )
  })
  after(() => {
    s.sim.clusters = s.sim.clusters.filter((c) => !['.', '../../x'].includes(c.id))
  })

  it('an OCM cluster id "." does not make `logout <cluster>` delete ~/.kube/config', async () => {
    const u = home()
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const before = readFileSync(u.kubeconfig, 'utf8')
    const r = await backplane(['logout', 'dot-cluster'], u.env)
    expectOneErrorLine(r, 1, /^Error: OCM gave an invalid cluster id "\." — /)
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(before)
  })

  it('an OCM cluster id "../../x" makes `login --multi` write nothing, and sends nothing to backplane', async () => {
    const u = home()
    const kubePath = join(u.home, 'a', 'b')
    mkdirSync(kubePath, {recursive: true})
    const from = s.sim.requests.length
    const r = await backplane(['login', 'climb-cluster', '--multi', '--kube-path', kubePath], u.env)
    expectOneErrorLine(r, 1, /^Error: OCM gave an invalid cluster id "\.\.\/\.\.\/x" — /)
    expect(existsSync(join(u.home, 'x'))).to.equal(false)
    expect(s.sim.requests.slice(from).filter((q) => q.path.startsWith('/backplane/'))).to.deep.equal([])
  })

  it('`managedjob delete . --yes` is a usage error and sends no DELETE (no `DELETE …/job/`)', async () => {
    const u = home()
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const from = s.sim.requests.length
    for (const [args, shown] of [
      [['managedjob', 'delete', '.', '--yes'], '"."'],
      [['managedjob', 'delete', '..', '--yes'], '".."'],
      [['managedjob', 'logs', '../job'], '"../job"'],
      [['managedjob', 'get', '.'], '"."'],
    ] as const) {
      const r = await backplane([...args], u.env)
      expectOneErrorLine(r, 2, `Error: invalid job id ${shown} — a job id is a letter or digit, then letters, digits, '.', '_' or '-' (see 'backplane managedjob list')`)
    }

    expect(s.sim.requests.slice(from)).to.deep.equal([])
  })

  it('a job id from backplane that is not one ("..") is refused before it is used', async () => {
    const u = home()
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    s.sim.setFault(`POST /backplane/script/${SEED.demo.id}/job`, {body: JSON.stringify({jobId: '..', message: 'ok'}), status: 200, times: 1})
    const from = s.sim.requests.length
    const r = await backplane(['managedjob', 'create', 'sre/cluster-health', '--wait'], u.env)
    expectOneErrorLine(r, 1, /^Error: backplane answered the new job with an invalid job id "\.\." — /, {progressOnStderr: true})
    expect(s.sim.requests.slice(from).filter((q) => q.method === 'GET' && q.path.includes('/job'))).to.deep.equal([])
  })

  it('a kubeconfig whose backplane server names no valid cluster id ("/backplane/cluster/a%2F..%2Fx/") is refused, not requested', async () => {
    const u = home()
    writeFileSync(
      u.kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: odd`,
        `  cluster: {server: "${s.sim.url}/backplane/cluster/a%2F..%2Fx/"}`,
        'users: [{name: u, user: {token: x}}]',
        'contexts: [{name: odd, context: {cluster: odd, user: u}}]',
        'current-context: odd',
        '',
      ].join('\n'),
    )
    const from = s.sim.requests.length
    const r = await backplane(['script', 'list'], u.env)
    expectOneErrorLine(r, 1, /^Error: the server of kubeconfig context "odd" gave an invalid cluster id "a\/\.\.\/x" — /)
    expect(s.sim.requests.slice(from).filter((q) => q.path.startsWith('/backplane/'))).to.deep.equal([])
  })
})
