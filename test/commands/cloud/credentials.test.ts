import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {parse} from 'yaml'

import {SEED} from '../../../src/simulator/index.js'
import {backplane, userHome} from '../../support/cli.js'
import {useSimulator} from '../../support/sim.js'
import {expectOneErrorLine} from '../../support/expect.js'

const fixture = readFileSync(new URL('../../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')
const PATH = `/backplane/cloud/credentials/`

describe('cloud credentials', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('AWS: a block of temporary credentials for a named cluster, from GET /backplane/cloud/credentials/{id}', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['cloud', 'credentials', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.equal('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal('Temporary Credentials:')
    expect(lines[1]).to.match(/^ {2}AccessKeyID: ASIA[0-9A-F]{16}$/)
    expect(lines[2]).to.match(/^ {2}SecretAccessKey: \S{40}$/)
    expect(lines[3]).to.match(/^ {2}SessionToken: FwoGZXIvYXdzE\S+$/)
    expect(lines[4]).to.equal('  Region: us-east-1')
    expect(lines[5]).to.match(/^ {2}Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const call = s.sim.requests.filter((q) => q.path.startsWith(PATH)).at(-1)!
    expect(call.method).to.equal('GET')
    expect(call.path).to.equal(`${PATH}${SEED.demo.id}`)
    expect(call.headers.authorization).to.match(/^Bearer ey/)
  })

  it('-o env prints export lines a shell can eval', async () => {
    const u = userHome(s.sim)
    const r = await backplane(['cloud', 'credentials', SEED.prodEast1.id, '-o', 'env'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split('=')[0])).to.deep.equal([
      'export AWS_ACCESS_KEY_ID',
      'export AWS_SECRET_ACCESS_KEY',
      'export AWS_SESSION_TOKEN',
      'export AWS_DEFAULT_REGION',
      'export AWS_REGION',
    ])
    const seen = execFileSync('bash', ['-c', `eval "$1"; printf '%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_DEFAULT_REGION" "\${#AWS_SECRET_ACCESS_KEY}"`, 'bash', r.stdout]).toString().split('\n')
    expect(seen[0]).to.match(/^ASIA[0-9A-F]{16}$/)
    expect(seen[1]).to.equal('us-east-1')
    expect(Number(seen[2])).to.equal(40)
  })

  it('-o json and -o yaml use the Go CLI field names; --json adds the cluster', async () => {
    const u = userHome(s.sim)
    const json = JSON.parse((await backplane(['cloud', 'credentials', SEED.demo.name, '-o', 'json'], u.env)).stdout)
    expect(Object.keys(json).sort()).to.deep.equal(['AccessKeyID', 'Expiration', 'Region', 'SecretAccessKey', 'SessionToken'])
    const yaml = parse((await backplane(['cloud', 'credentials', SEED.demo.name, '-o', 'yaml'], u.env)).stdout)
    expect(Object.keys(yaml).sort()).to.deep.equal(['AccessKeyID', 'Expiration', 'Region', 'SecretAccessKey', 'SessionToken'])
    expect(yaml.AccessKeyID).to.match(/^ASIA/)
    const full = JSON.parse((await backplane(['cloud', 'credentials', SEED.demo.name, '--json'], u.env)).stdout)
    expect(full).to.include({clusterId: SEED.demo.id, clusterName: SEED.demo.name, provider: 'aws'})
    expect(full.credentials.Region).to.equal('us-east-1')
  })

  it('GCP: the project, as a gcloud hint or CLOUDSDK_CORE_PROJECT; the alias creds works', async () => {
    const u = userHome(s.sim)
    const text = await backplane(['cloud', 'creds', SEED.gcp.name], u.env)
    expect(text.code, text.stderr).to.equal(0)
    expect(text.stdout).to.equal('If this is your first time, run "gcloud auth login" and then\ngcloud config set project gcp-cluster-project\n')
    const env = await backplane(['cloud', 'credentials', SEED.gcp.externalId, '-o', 'env'], u.env)
    expect(env.stdout).to.equal('export CLOUDSDK_CORE_PROJECT=gcp-cluster-project\n')
    expect(JSON.parse((await backplane(['cloud', 'credentials', SEED.gcp.id, '-o', 'json'], u.env)).stdout)).to.deep.equal({project_id: 'gcp-cluster-project'})
  })

  it('without a cluster: the cluster of the current backplane context', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['login', SEED.gcp.name], u.env)).code).to.equal(0)
    const r = await backplane(['cloud', 'credentials', '-o', 'env'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal('export CLOUDSDK_CORE_PROJECT=gcp-cluster-project\n')
    expect(s.sim.requests.at(-1)?.path).to.equal(`${PATH}${SEED.gcp.id}`)
  })

  it('the request trace shows the call but never the credentials', async () => {
    const u = userHome(s.sim, {DEBUG: 'backplane*'})
    const r = await backplane(['cloud', 'credentials', SEED.demo.name, '-o', 'json'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    const creds = JSON.parse(r.stdout)
    expect(r.stderr).to.match(new RegExp(`backplane: GET https://127\\.0\\.0\\.1:\\d+${PATH}${SEED.demo.id} 200 \\d+ms`))
    for (const secret of [creds.SecretAccessKey, creds.SessionToken, creds.AccessKeyID]) expect(r.stderr).not.to.include(secret)
  })
})

describe('cloud credentials: bad input', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('bad arguments are usage errors, before any request', async () => {
    const u = userHome(s.sim)
    const before = s.sim.requests.length
    expectOneErrorLine(await backplane(['cloud', 'credentials', SEED.demo.name, '-o', 'xml'], u.env), 2, /Expected --output=xml to be one of: text, json, yaml, env/)
    expectOneErrorLine(await backplane(['cloud', 'credentials', 'a/b'], u.env), 2, /invalid cluster "a\/b"/)
    expectOneErrorLine(await backplane(['cloud', 'credentials', 'x', 'y'], u.env), 2, /Unexpected argument: y/)
    expect(s.sim.requests.length).to.equal(before)
  })

  it('no cluster and no backplane context; unknown and forbidden clusters', async () => {
    const u = userHome(s.sim)
    expectOneErrorLine(await backplane(['cloud', 'credentials'], u.env), 1, /no current kubeconfig context — name a cluster/)
    writeFileSync(u.kubeconfig, fixture)
    expectOneErrorLine(await backplane(['cloud', 'credentials'], u.env), 1, /current context "kind-dev" is not a backplane context/)
    expectOneErrorLine(await backplane(['cloud', 'credentials', 'no-such-cluster'], u.env), 1, /no cluster matches "no-such-cluster"/)
    expectOneErrorLine(await backplane(['cloud', 'credentials', SEED.forbidden.name], u.env), 1, /backplane answered 403 Forbidden: .*not allowed/)
  })

  it('answers it cannot use: one line that never quotes the credentials', async () => {
    const u = userHome(s.sim)
    const leaky = 'leaky-s3cret-value'
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify({clusterID: SEED.demo.id, statusCode: 200}), /backplane answered without cloud credentials for cluster/],
      [JSON.stringify({clusterID: SEED.demo.id, credentials: `{"AccessKeyId": "ASIA1", "SecretAccessKey": "${leaky}"`}), /cloud credentials that are not JSON/],
      [JSON.stringify({clusterID: SEED.demo.id, credentials: JSON.stringify({AccessKeyId: 'ASIA1', SecretAccessKey: leaky})}), /AWS credentials without a valid SessionToken/],
      [JSON.stringify({clusterID: SEED.demo.id, credentials: 42}), /without cloud credentials/],
    ]
    for (const [body, pattern] of cases) {
      s.sim.setFault(`GET ${PATH}`, {body, status: 200, times: 1})
      const r = await backplane(['cloud', 'credentials', SEED.demo.name], u.env)
      expectOneErrorLine(r, 1, pattern)
      expect(r.stderr).not.to.include(leaky)
    }

    s.sim.setFault(`GET ${PATH}`, {body: JSON.stringify({message: 'cloud credentials handler is disabled', statusCode: 503}), status: 503})
    try {
      expectOneErrorLine(await backplane(['cloud', 'credentials', SEED.demo.name], u.env), 1, /backplane answered 503 Service Unavailable: cloud credentials handler is disabled/)
    } finally {
      s.sim.setFault(`GET ${PATH}`, undefined)
    }
  })

  it('a cluster on a cloud without credentials is refused before backplane is called', async () => {
    const u = userHome(s.sim)
    const demo = s.sim.clusters.find((c) => c.id === SEED.demo.id)!
    const saved = demo.cloud_provider
    ;(demo as {cloud_provider: {id: string}}).cloud_provider = {...saved, id: 'azure'}
    const before = s.sim.requests.length
    try {
      expectOneErrorLine(await backplane(['cloud', 'credentials', SEED.demo.name], u.env), 1, /cloud credentials are not supported for cloud provider "azure"/)
    } finally {
      demo.cloud_provider = saved
    }

    expect(s.sim.requests.slice(before).some((q) => q.path.startsWith(PATH))).to.equal(false)
  })
})
