import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseAllDocuments} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {backplane, kubectl, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {expectOneErrorLine} from '../support/expect.js'
import {useSimulator} from '../support/sim.js'

const METADATA = `file: script.sh
name: example
description: An example
shortDescription: example
author: sre
allowedGroups: [SREP]
language: bash
customerDataAccess: false
labels: []
envs:
  - key: VAR1
    description: required one
    optional: false
  - key: VAR2
    description: optional one
    optional: true
rbac:
  roles:
    - namespace: openshift-monitoring
      rules:
        - verbs: [get, list]
          apiGroups: [""]
          resources: [pods]
  clusterRoleRules:
    - verbs: [get]
      apiGroups: [""]
      resources: [nodes]
`
const SCRIPT = '#!/bin/bash\nsource /managed-scripts/lib/common.sh\necho "hello $VAR1"\n'

describe('testjob create|get|logs|render (hidden)', function () {
  this.timeout(60_000)
  const s = useSimulator()
  let u: UserHome
  let root: string
  let dir: string
  before(async () => {
    u = userHome(s.sim)
    root = mkdtempSync(join(tmpdir(), 'bp-testjob-'))
    dir = join(root, 'scripts', 'SREP', 'example')
    mkdirSync(dir, {recursive: true})
    mkdirSync(join(root, 'scripts', 'lib'), {recursive: true})
    writeFileSync(join(root, 'scripts', 'lib', 'common.sh'), 'log() { echo "$@"; }\n')
    writeFileSync(join(dir, 'metadata.yaml'), METADATA)
    writeFileSync(join(dir, 'script.sh'), SCRIPT)
    expect((await backplane(['login', SEED.demo.name], u.env)).code).to.equal(0)
  })
  after(() => {
    rmSync(root, {force: true, recursive: true})
    rmSync(u.home, {force: true, recursive: true})
  })

  it('render: SA, Role + RoleBinding, ClusterRole + ClusterRoleBinding and the Pod, no API call; kubectl apply --dry-run=client accepts them', async () => {
    const before = s.sim.requests.length
    const r = await backplane(['testjob', 'render', '-s', dir, '-p', 'VAR1=one', '-p', 'VAR2=two', '-i', 'quay.io/me/managed-scripts:dev'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(s.sim.requests.length).to.equal(before)
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as {kind: string; metadata: {name: string; namespace?: string}; spec?: any; subjects?: any; rules?: any})
    expect(docs.map((d) => d.kind)).to.deep.equal(['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Pod'])
    const name = docs[0]!.metadata.name
    expect(name).to.match(/^openshift-job-dev-\d+$/)
    expect(docs[1]!.metadata.namespace).to.equal('openshift-monitoring')
    expect(docs[3]!.rules).to.deep.equal([{apiGroups: [''], resources: ['nodes'], verbs: ['get']}])
    expect(docs[4]!.subjects).to.deep.equal([{kind: 'ServiceAccount', name, namespace: 'openshift-backplane-managed-scripts'}])
    const container = docs[5]!.spec.containers[0]
    expect(container.image).to.equal('quay.io/me/managed-scripts:dev')
    expect(container.env).to.deep.equal([{name: 'VAR1', value: 'one'}, {name: 'VAR2', value: 'two'}])
    const encoded = /echo '([^']+)' \| base64 -d \| \/bin\/bash/.exec(container.command[2])![1]!
    const script = Buffer.from(encoded, 'base64').toString('utf8')
    // The library line is inlined from scripts/lib/common.sh of the checkout, as Go does.
    expect(script).to.include(`base64 -d <<< ${Buffer.from('log() { echo "$@"; }\n').toString('base64')} > /tmp/lib.sh\nsource /tmp/lib.sh\n`)
    expect(script).to.include('echo "hello $VAR1"')

    const file = join(root, 'job.yaml')
    const o = await backplane(['tj', 'render', '-s', dir, '-p', 'VAR1=one', '-o', file], u.env)
    expect(o.code, o.stderr).to.equal(0)
    expect(o.stdout).to.equal('')
    expect(o.stderr).to.include(`Using image quay.io/redhat-user-workloads/rosa-tenant/managed-scripts:latest`)
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    const applied = await kubectl(['apply', '--dry-run=client', '--validate=false', '-f', file], u.env)
    expect(applied.code, applied.stderr).to.equal(0)
    expect(applied.stdout.trim().split('\n')).to.have.length(6)
    expect(applied.stdout).to.include(`pod/${parseAllDocuments(readFileSync(file, 'utf8'))[5]!.toJS().metadata.name} created (dry run)`)
  })

  it('create POSTs the script and metadata, prints the TestId; get and logs read it back', async () => {
    const r = await backplane(['testjob', 'create', '-s', dir, '-p', 'VAR1=one'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const testId = /^TestId: (test-[0-9a-f]{8})$/m.exec(r.stdout)![1]!
    const post = s.sim.requests.filter((q) => q.method === 'POST' && q.path === `/backplane/testscript/${SEED.demo.id}`).at(-1)!
    const body = JSON.parse(post.body)
    expect(body.parameters).to.deep.equal({VAR1: 'one'})
    expect(body.scriptMetadata).to.include({file: 'script.sh', name: 'example'})
    expect(Buffer.from(body.scriptBody, 'base64').toString('utf8')).to.include('echo "hello $VAR1"')

    const g = await backplane(['testJob', 'get', testId, '--json'], u.env)
    expect(g.code, g.stderr).to.equal(0)
    expect(JSON.parse(g.stdout).testId).to.equal(testId)
    const l = await backplane(['testjobs', 'logs', testId], u.env)
    expect(l.code, l.stderr).to.equal(0)
    expect(l.stdout).to.equal('running example (5 lines) with VAR1=one\ndone\n')
    expectOneErrorLine(await backplane(['testjob', 'get', 'test-00000000'], u.env), 1, /no test job "test-00000000" on cluster/)
  })

  it('create refuses in production (the OCM environment named as prod-env-name), before any backplane request', async () => {
    const prod = userHome(s.sim)
    try {
      expect((await backplane(['login', SEED.demo.name], prod.env)).code).to.equal(0)
      editBackplaneConfig(prod, {'prod-env-name': 'simulator'})
      const before = s.sim.requests.filter((q) => q.path.startsWith('/backplane/testscript')).length
      expectOneErrorLine(await backplane(['testjob', 'create', '-s', dir, '-p', 'VAR1=x'], prod.env), 1, /^Error: testjob cannot be used in the production OCM environment — use 'backplane testjob render'/)
      expect(s.sim.requests.filter((q) => q.path.startsWith('/backplane/testscript')).length).to.equal(before)
    } finally {
      rmSync(prod.home, {force: true, recursive: true})
    }
  })

  it('bad input is one clear line; the commands are hidden from help', async () => {
    expectOneErrorLine(await backplane(['testjob', 'render', '-s', dir], u.env), 2, /^Error: script example needs parameter VAR1 — pass -p VAR1=<value>$/)
    expectOneErrorLine(await backplane(['testjob', 'render', '-s', dir, '-p', 'VAR1=a', '-p', 'NOPE=b'], u.env), 2, /has no parameter NOPE — it accepts VAR1, VAR2/)
    expectOneErrorLine(await backplane(['testjob', 'render', '-s', root], u.env), 2, /^Error: cannot read the script metadata .*metadata\.yaml \(ENOENT\) — run it in a script directory/)
    expectOneErrorLine(await backplane(['testjob', 'get', '../x'], u.env), 2, /^Error: invalid test id "\.\.\/x"/)
    const help = await backplane(['--help'], u.env)
    expect(help.stdout).not.to.include('testjob')
  })
})
