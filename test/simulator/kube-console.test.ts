import {expect} from 'chai'

import {SEED} from '../../src/simulator/index.js'
import {consoleImage, monitoringPluginImage} from '../../src/simulator/kube-console.js'
import {backplane, runProgram, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'

describe('simulator: console objects behind the Kubernetes API', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('kubectl discovers and reads the console Deployments, ConsolePlugins and the console operator config', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
    const kubectl = (args: string[]) => runProgram('kubectl', args, u.env)
    const demo = s.sim.clusters.find((c) => c.id === SEED.demo.id)!

    const resources = await kubectl(['api-resources', '-o', 'name'])
    expect(resources.stderr).to.equal('')
    expect(resources.stdout.split('\n').filter(Boolean)).to.include.members(['consoleplugins.console.openshift.io', 'consoles.operator.openshift.io', 'deployments.apps', 'namespaces'])

    const deploys = await kubectl(['get', 'deployments', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}={.spec.template.spec.containers[0].image}{"\\n"}{end}'])
    expect(deploys.stdout.trim().split('\n')).to.deep.equal([`openshift-console/console=${consoleImage(demo)}`, `openshift-monitoring/monitoring-plugin=${monitoringPluginImage(demo)}`])

    const plugins = await kubectl(['get', 'consoleplugins', '-o', 'name'])
    expect(plugins.stdout.trim().split('\n')).to.deep.equal(['consoleplugin.console.openshift.io/monitoring-plugin', 'consoleplugin.console.openshift.io/networking-console-plugin', 'consoleplugin.console.openshift.io/odf-console'])
    const enabled = await kubectl(['get', 'consoles.operator.openshift.io', 'cluster', '-o', 'jsonpath={.spec.plugins}'])
    expect(JSON.parse(enabled.stdout)).to.deep.equal(['monitoring-plugin', 'networking-console-plugin'])

    const missing = await kubectl(['get', 'deployment', 'nope', '-n', 'openshift-console'])
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.include('deployments.apps "nope" not found')
  })

  it('an OpenShift 4.13 cluster has no monitoring-plugin Deployment', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.gcp.name], u.env)).code).to.equal(0)
    const r = await runProgram('kubectl', ['get', 'deployment', 'monitoring-plugin', '-n', 'openshift-monitoring'], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr).to.include('deployments.apps "monitoring-plugin" not found')
  })
})
