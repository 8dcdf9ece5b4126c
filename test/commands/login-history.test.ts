import {expect} from 'chai'
import {readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {parse} from 'yaml'

import {HISTORY_LENGTH} from '../../src/lib/kube/login-history.js'
import {SEED} from '../../src/simulator/index.js'
import {backplane, userHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const fixture = readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')
const current = (path: string) => parse(readFileSync(path, 'utf8'))['current-context']

describe('login - (switch back) and the login history', function () {
  this.timeout(90_000)
  const s = useSimulator()
  const homes: string[] = []
  const home = () => {
    const u = userHome(s.sim)
    homes.push(u.home)
    return u
  }

  after(() => {
    for (const h of homes) rmSync(h, {force: true, recursive: true})
  })

  it('without history it is one clear error, and the kubeconfig is untouched', async () => {
    const u = home()
    writeFileSync(u.kubeconfig, fixture)
    expectOneErrorLine(
      await backplane(['login', '-'], u.env),
      1,
      `Error: no previous backplane context to switch back to in ${u.kubeconfig} — 'login -' returns to the context of an earlier 'backplane login <cluster>'; log in first`,
    )
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(fixture)
    expectOneErrorLine(await backplane(['login', '-', '--multi'], u.env), 2, /^Error: 'login -' takes no --multi — /)
  })

  it('switches between the last two backplane contexts, like kubectx -, and kubectl follows', async () => {
    const u = home()
    writeFileSync(u.kubeconfig, fixture)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    expect((await backplane(['login', SEED.prodEast1.name], u.env)).code).to.equal(0)
    const r = await backplane(['login', '-'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(`Switched to context default/demo-cluster/sre-demo (cluster ${SEED.demo.id}) in ${u.kubeconfig}.\n`)
    expect(current(u.kubeconfig)).to.equal('default/demo-cluster/sre-demo')
    expect(JSON.parse((await backplane(['login', '-', '--json'], u.env)).stdout)).to.deep.equal({
      clusterId: SEED.prodEast1.id,
      context: 'default/prod-east-1/sre-demo',
      kubeconfig: u.kubeconfig,
      previous: 'default/demo-cluster/sre-demo',
    })
    expect((await backplane(['login', '-'], u.env)).code).to.equal(0)
    expect(current(u.kubeconfig)).to.equal('default/demo-cluster/sre-demo')

    // A context removed meanwhile is skipped; a non-backplane one (kind-dev) is never a target.
    expect((await backplane(['logout'], u.env)).code).to.equal(0)
    expect(current(u.kubeconfig)).to.equal('default/prod-east-1/sre-demo')
    expectOneErrorLine(await backplane(['login', '-'], u.env), 1, /^Error: no previous backplane context to switch back to/)
  })

  it('keeps the last 20 entries per kubeconfig file, written atomically and private; a corrupt file is ignored with a warning', async () => {
    const u = home()
    const other = join(u.home, 'other-config')
    for (const key of [SEED.demo.name, SEED.prodEast1.name, SEED.demo.name]) expect((await backplane(['login', key], u.env)).code).to.equal(0)
    for (let i = 0; i < 11; i++) expect((await backplane(['login', '-'], u.env)).code).to.equal(0)
    expect((await backplane(['login', SEED.gcp.name], {...u.env, KUBECONFIG: other})).code).to.equal(0)
    const path = join(u.home, '.kube', 'cache', 'backplane', 'login-history.json')
    const data = JSON.parse(readFileSync(path, 'utf8'))
    expect(Object.keys(data.kubeconfigs).sort()).to.deep.equal([u.kubeconfig, other].sort())
    expect(data.kubeconfigs[u.kubeconfig]).to.have.length(HISTORY_LENGTH - 6)
    for (let i = 0; i < 10; i++) expect((await backplane(['login', '-'], u.env)).code).to.equal(0)
    expect(JSON.parse(readFileSync(path, 'utf8')).kubeconfigs[u.kubeconfig]).to.have.length(HISTORY_LENGTH)
    expect(JSON.parse(readFileSync(path, 'utf8')).kubeconfigs[other]).to.have.length(1)
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    expect(readdirSync(dirname(path)).filter((f) => f.includes('login-history'))).to.deep.equal(['login-history.json'])

    writeFileSync(path, '{"kubeconfigs": [broken')
    const r = await backplane(['login', '-'], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr.split('\n')[0]).to.equal(`Warning: ignoring the login history ${path}: it is not valid (it is rewritten at the next login)`)
    const again = await backplane(['login', SEED.demo.name], u.env)
    expect(again.code, again.stderr).to.equal(0)
    expect(again.stderr).to.include('Warning: ignoring the login history')
    expect(JSON.parse(readFileSync(path, 'utf8')).kubeconfigs[u.kubeconfig]).to.have.length(1)
  })
})
