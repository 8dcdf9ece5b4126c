import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync, rmSync} from 'node:fs'
import {parse} from 'yaml'

import {SEED, type Simulator, startSimulator} from '../../src/simulator/index.js'
import {backplane, RUN, transcript, userHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

describe('login: several matches on a terminal', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('opens a picker; the chosen cluster is logged in to', async () => {
    const u = userHome(s.sim, {TERM: 'xterm'})
    // util-linux `script` gives the CLI a real pseudo-terminal, as a user's shell would.
    const command = [process.execPath, RUN, 'login', '%prod-east%'].map(shellQuote).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: u.env, stdio: ['pipe', 'pipe', 'pipe']})
    let out = ''
    let answered = false
    child.stdout.on('data', (d) => {
      out += d
      if (!answered && out.includes('Several clusters match')) {
        answered = true
        child.stdin.write('\u001B[B') // arrow down: the second candidate
        setTimeout(() => child.stdin.write('\r'), 200)
      }
    })
    const code = await new Promise((resolve) => child.on('close', resolve))
    transcript.push({args: ['login', '%prod-east%'], stderr: '', stdout: out})
    expect(code, out).to.equal(0)
    expect(out).to.include(`prod-east-1 (${SEED.prodEast1.id})`).and.include(`prod-east-2 (${SEED.prodEast2.id})`)
    expect(out).to.include(`Logged in to prod-east-2 (${SEED.prodEast2.id})`)
    expect(parse(readFileSync(u.kubeconfig, 'utf8'))['current-context']).to.equal('default/prod-east-2/sre-demo')
  })
})

describe('login: a pattern that matches thousands of clusters', function () {
  this.timeout(120_000)
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({clusters: 5000, quiet: true})
  })
  after(async () => {
    await sim.stop()
  })

  it('on a terminal: a search picker (type to filter), not a 5,000-row list; the chosen cluster is logged in to', async () => {
    const u = userHome(sim, {TERM: 'xterm'})
    const target = sim.clusters[sim.clusters.length - 1234]!
    const from = sim.requests.length
    const command = [process.execPath, RUN, 'login', '%-%'].map(shellQuote).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: u.env, stdio: ['pipe', 'pipe', 'pipe']})
    let out = ''
    let typedAt = -1
    let answered = false
    child.stdout.on('data', (d) => {
      out += d
      if (typedAt < 0 && out.includes('type to filter')) {
        typedAt = out.length
        child.stdin.write(target.name)
      }

      if (typedAt >= 0 && !answered && out.slice(typedAt).includes(`${target.name} (${target.id})`)) {
        answered = true
        setTimeout(() => child.stdin.write('\r'), 300)
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    const code = await new Promise((resolve) => child.on('close', resolve))
    clearTimeout(timer)
    transcript.push({args: ['login', '%-%'], stderr: '', stdout: out})
    const matches = sim.clusters.filter((c) => c.name.includes('-')).length
    expect(code, out).to.equal(0)
    expect(out).to.include(`${matches} clusters match; type to filter, then pick one`)
    expect(out).to.include(`Logged in to ${target.name} (${target.id})`)
    expect(parse(readFileSync(u.kubeconfig, 'utf8'))['current-context']).to.equal(`default/${target.name}/sre-demo`)
    // Ten rows at a time, never the whole list: a cluster far down the list was never drawn.
    expect(out).not.to.include(sim.clusters[sim.clusters.length - 10]!.name)
    // Every page of the search was read (51 of them), page 1 first.
    const pages = sim.requests.slice(from).filter((q) => q.path.startsWith('/api/clusters_mgmt/v1/clusters?'))
    expect(pages.map((q) => Number(new URL(q.path, sim.url).searchParams.get('page'))).sort((a, b) => a - b)).to.deep.equal(Array.from({length: Math.ceil(matches / 100)}, (_, i) => i + 1))
    rmSync(u.home, {force: true, recursive: true})
  })

  it('without a terminal: an error with the count and the first 10 names', async () => {
    const u = userHome(sim)
    const r = await backplane(['login', '%-%'], u.env)
    const matching = sim.clusters.filter((c) => c.name.includes('-'))
    const first = matching.slice(0, 10).map((c) => `${c.name} (${c.id})`).join(', ')
    expectOneErrorLine(r, 1, `Error: "%-%" matches ${matching.length} clusters: ${first} and ${matching.length - 10} more — give the cluster id or a narrower pattern (on a terminal, a picker opens)`)
    rmSync(u.home, {force: true, recursive: true})
  })
})
