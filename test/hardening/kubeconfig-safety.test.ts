import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import {parse} from 'yaml'

import {makeCluster} from '../../src/simulator/index.js'
import {backplane, RUN, runProgram, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'

const fixture = readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')

describe('kubeconfig safety', function () {
  this.timeout(120_000)
  const s = useSimulator()

  it('32 concurrent logins whose login replies arrive at the same moment keep all 32 contexts, 10 trials in a row', async function () {
    this.timeout(900_000)
    const LOGINS = 32
    const TRIALS = 10
    const names: string[] = []
    for (let i = 0; i < LOGINS; i++) {
      const id = `conc${String(i).padStart(2, '0')}${'x'.repeat(26)}`
      names.push(`concurrent-${i}`)
      s.sim.clusters.push(makeCluster({externalId: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, id, name: `concurrent-${i}`}))
    }

    // A loaded machine may take a while to run 32 read-modify-writes one after the other: losing none is the point, not speed.
    const u = userHome(s.sim, {BACKPLANE_LOCK_TIMEOUT: '120'})
    after(() => rmSync(u.home, {force: true, recursive: true}))
    for (let trial = 0; trial < TRIALS; trial++) {
      writeFileSync(u.kubeconfig, fixture)
      // Every login POST is held until all 32 have arrived, then answered in the same tick.
      s.sim.setFault('POST /backplane/login/', {gather: LOGINS, times: LOGINS})
      const results = await Promise.all(names.map((n) => backplane(['login', n], u.env, {timeoutMs: 600_000})))
      for (const r of results) expect(r.code, r.stderr).to.equal(0)

      const text = readFileSync(u.kubeconfig, 'utf8')
      const config = parse(text)
      const contexts = config.contexts.map((c: {name: string}) => c.name)
      expect(contexts, `trial ${trial}`).to.have.length(LOGINS + 1)
      for (const n of names) expect(contexts).to.include(`default/${n}/sre-demo`)
      expect(config.clusters.map((c: {name: string}) => c.name)).to.include.members(['kind-dev', 'staging-direct', ...names])
      for (const kept of ['# The user\'s own kubeconfig', 'extension: {owner: me}', 'note: "keep this too"']) expect(text).to.include(kept)
      expect(readdirSync(dirname(u.kubeconfig)).filter((f) => f.includes('.tmp') || f.includes('.lock'))).to.deep.equal([])
    }

    const kubectl = await runProgram('kubectl', ['config', 'get-contexts', '-o', 'name'], u.env)
    expect(kubectl.stdout.trim().split('\n')).to.have.length(LOGINS + 1)
  })

  it('a login killed with SIGKILL at any moment leaves the kubeconfig as before or as after', async () => {
    const u = userHome(s.sim)
    // How long a whole login takes on this machine: the kills below are spread from its start to past its end.
    writeFileSync(u.kubeconfig, fixture)
    const started = Date.now()
    expect((await backplane(['login', 'demo-cluster'], u.env)).code).to.equal(0)
    const whole = Date.now() - started
    let before = 0
    let after = 0
    for (let i = 0; i < 12; i++) {
      writeFileSync(u.kubeconfig, fixture)
      const child = spawn(process.execPath, [RUN, 'login', 'demo-cluster'], {env: u.env, stdio: 'ignore'})
      const closed = new Promise((r) => child.on('close', r))
      await new Promise((r) => setTimeout(r, (whole * (i + 1)) / 10))
      child.kill('SIGKILL')
      await closed
      const text = readFileSync(u.kubeconfig, 'utf8')
      if (text === fixture) {
        before++
        continue
      }

      const config = parse(text)
      expect(config['current-context']).to.equal('default/demo-cluster/sre-demo')
      expect(config.contexts).to.have.length(2)
      expect(text).to.include('note: "keep this too"')
      after++
    }

    // Killed early, the file is as before; killed late (or not at all), as after: never anything else.
    expect(before + after).to.equal(12)
    expect(before).to.be.greaterThan(0)
    expect(after).to.be.greaterThan(0)

    // The next login after a killed one still works (a stale lock from a dead process is taken over).
    const r = await backplane(['login', 'demo-cluster'], u.env)
    expect(r.code, r.stderr).to.equal(0)
  })
})

describe('large kubeconfig', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('login into a kubeconfig of 5,000 contexts adds its entries and leaves every other byte as it was', async () => {
    const {crowdedKubeconfig} = await import('../../scripts/bench.js')
    const u = userHome(s.sim)
    const crowded = crowdedKubeconfig(5000)
    writeFileSync(u.kubeconfig, crowded)
    const r = await backplane(['login', 'demo-cluster'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const text = readFileSync(u.kubeconfig, 'utf8')
    const config = parse(text)
    expect(config.contexts).to.have.length(5001)
    expect(config['current-context']).to.equal('default/demo-cluster/sre-demo')
    // Removing the three new entries and restoring current-context gives back the original bytes.
    const restored = text
      .replace(/^- name: demo-cluster\n  cluster:\n(    .*\n)+/m, '')
      .replace(/^- name: default\/demo-cluster\/sre-demo\n  context:\n(    .*\n)+/m, '')
      .replace(/^- name: backplane-sre-demo\n  user:\n(    .*\n|      .*\n|        .*\n|          .*\n)+/m, '')
      .replace('current-context: default/demo-cluster/sre-demo', 'current-context: ctx-0')
    expect(restored).to.equal(crowded)
    const kubectl = await runProgram('kubectl', ['get', 'namespace', 'default', '-o', 'name'], u.env)
    expect(kubectl.stdout.trim(), kubectl.stderr).to.equal('namespace/default')
  })
})
