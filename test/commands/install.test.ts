import {expect} from 'chai'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {ROOT, runProgram, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'

describe('installed as an ocm plugin', function () {
  this.timeout(120_000)
  const s = useSimulator()

  it('npm install -g puts `backplane` and `ocm-backplane` on PATH, and `ocm-backplane login` works', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'bp-prefix-'))
    const install = await runProgram('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', ROOT], process.env, {timeoutMs: 110_000})
    expect(install.code, install.stderr).to.equal(0)
    const bin = join(prefix, 'bin')
    const u = userHome(s.sim, {PATH: `${bin}:${process.env.PATH}`})
    // ocm runs `ocm-<name>` from PATH for `ocm <name> …`: this is what `ocm backplane login` executes.
    const r = await runProgram('ocm-backplane', ['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('Logged in to demo-cluster')
    expect(parse(readFileSync(u.kubeconfig, 'utf8'))['current-context']).to.equal('default/demo-cluster/sre-demo')
    const version = await runProgram('backplane', ['--version'], u.env)
    expect(version.stdout).to.match(/^backplane\/\d+\.\d+\.\d+ /)
  })
})
