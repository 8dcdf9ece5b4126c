import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {RUN, transcript, userHome} from '../support/cli.js'
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
