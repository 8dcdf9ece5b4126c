import {expect} from 'chai'
import {join} from 'node:path'

import {ROOT, runProgram} from '../support/cli.js'

describe('npm run demo (the README Quick start)', function () {
  this.timeout(120_000)

  it('logs in to the demo cluster, lists its namespaces through the written kubeconfig, switches namespace, logs out', async () => {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx')
    const r = await runProgram(tsx, [join(ROOT, 'scripts', 'demo.ts')], {HOME: process.env.HOME, PATH: process.env.PATH}, {timeoutMs: 110_000})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('Logged in to demo-cluster')
    expect(r.stdout).to.match(/openshift-monitoring/)
    expect(r.stdout).to.include('Now using namespace "openshift-monitoring"')
    expect(r.stdout).to.include('Logged out from backplane: default/demo-cluster/sre-demo')
    expect(r.stdout).to.include('Demo complete')
  })
})
