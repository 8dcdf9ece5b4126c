import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type SimCluster, startSimulator, type Simulator} from '../../src/simulator/index.js'
import {RUN, transcript, userHome} from '../support/cli.js'

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

/** `backplane each …` in a real pseudo-terminal (util-linux `script`); `answer` reacts to what it printed so far. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv, answer?: (out: string, write: (s: string) => void) => void): Promise<{code: number; out: string}> {
  const command = [process.execPath, RUN, ...args].map(shellQuote).join(' ')
  const child = spawn('script', ['-qec', command, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'pipe']})
  let out = ''
  child.stdout.on('data', (d) => {
    out += d
    answer?.(out, (s) => child.stdin.write(s))
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      transcript.push({args, stderr: '', stdout: out})
      resolve({code: code ?? -1, out})
    })
  })
}

describe('each on a terminal', function () {
  this.timeout(120_000)
  let sim: Simulator
  let clusters: SimCluster[]
  const homes: string[] = []
  before(async () => {
    sim = await startSimulator({clusters: 3, quiet: true})
    clusters = sim.clusters.slice(-3)
  })
  after(async () => {
    await sim.stop()
    for (const h of homes) rmSync(h, {force: true, recursive: true})
  })

  function home() {
    const u = userHome(sim, {TERM: 'xterm'})
    homes.push(u.home)
    const file = join(u.home, 'clusters.txt')
    writeFileSync(file, clusters.map((c) => c.name).join('\n'))
    return {...u, file}
  }

  it('shows a progress line on stderr (done/total, failures, ETA), then the summary', async () => {
    const u = home()
    const r = await inTerminal(['each', '--clusters-file', u.file, '--parallel', '1', '--sh', 'sleep 0.3; echo "hi from $CLUSTER_NAME"'], u.env)
    expect(r.code, r.out).to.equal(0)
    expect(r.out).to.match(/\] 1\/3 · 0 failed · ETA \d/).and.match(/\] 3\/3 · 0 failed · ETA 0 s/)
    for (const c of clusters) expect(r.out).to.include(`${c.name} │ hi from ${c.name}`)
    expect(r.out).to.match(/3 ok, 0 failed, 0 timeout, 0 skipped in \d+\.\d s/)
  })

  it('--reason asks before an elevated run: no runs nothing, yes runs as backplane-cluster-admin', async () => {
    const u = home()
    const args = ['each', '--clusters-file', u.file, '--reason', 'OHSS-42', '--', 'get', 'ns', 'default', '-o', 'name']
    const answering = (key: string) => {
      let sent = false
      return (out: string, write: (s: string) => void) => {
        if (!sent && out.includes('(reason: OHSS-42)?')) {
          sent = true
          write(key)
          setTimeout(() => write('\r'), 200)
        }
      }
    }

    const from = sim.requests.length
    const no = await inTerminal(args, u.env, answering('n'))
    expect(no.code, no.out).to.equal(1)
    expect(no.out).to.include('Error: not confirmed — nothing was run')
    expect(sim.requests.slice(from).filter((q) => q.path.startsWith('/backplane/login/'))).to.deep.equal([])

    const yes = await inTerminal(args, u.env, answering('y'))
    expect(yes.code, yes.out).to.equal(0)
    for (const c of clusters) expect(yes.out).to.include(`${c.name} │ namespace/default`)
    const kube = sim.requests.slice(from).filter((q) => q.path.includes('/api/v1/namespaces/default'))
    expect(kube).to.have.length(3)
    for (const q of kube) expect(q.headers['impersonate-extra-reason']).to.equal('OHSS-42')
  })
})
