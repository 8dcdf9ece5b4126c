import {expect} from 'chai'
import {mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'

import {KubeconfigFile, KubeconfigSet, kubeconfigPaths} from '../../../src/lib/kube/kubeconfig.js'
import {applyLoginEntries, loginContextName} from '../../../src/lib/kube/login-entries.js'

const fixture = readFileSync(new URL('../../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'bp-kc-'))
}

const entries = {
  clusterName: 'demo-cluster',
  contextName: loginContextName('default', 'demo-cluster', 'sre'),
  exec: {command: '/home/sre/.kube/ocm-token', env: [{name: 'OCM_CONFIG', value: '/x/ocm.json'}]},
  namespace: 'default',
  server: 'https://bp.example.com/backplane/cluster/abc123/',
  userName: 'backplane-sre',
}

describe('kubeconfig editing', () => {
  it('resolves the files kubectl reads', () => {
    expect(kubeconfigPaths({HOME: '/h'})).to.deep.equal(['/h/.kube/config'])
    expect(kubeconfigPaths({HOME: '/h', KUBECONFIG: '/a:/b::/a'})).to.deep.equal(['/a', '/b'])
  })

  it('adds the login entries and keeps every comment, extension and unknown field', async () => {
    const dir = tmp()
    const path = join(dir, 'config')
    writeFileSync(path, fixture, {mode: 0o644})
    const file = await KubeconfigFile.load(path)
    applyLoginEntries(file, {...entries, caData: 'Q0E=', proxyUrl: 'http://proxy:3128'})
    expect(await file.save()).to.equal(true)

    const text = readFileSync(path, 'utf8')
    for (const kept of ['# The user\'s own kubeconfig', 'colors: true # keep me', 'audience: kind', 'extension: {owner: me}', 'note: "keep this too"', 'insecure-skip-tls-verify: true']) {
      expect(text).to.include(kept)
    }

    const data = parse(text)
    expect(data['current-context']).to.equal('default/demo-cluster/sre')
    const cluster = data.clusters.find((c: {name: string}) => c.name === 'demo-cluster').cluster
    expect(cluster).to.deep.equal({'certificate-authority-data': 'Q0E=', 'proxy-url': 'http://proxy:3128', server: entries.server})
    const user = data.users.find((u: {name: string}) => u.name === 'backplane-sre').user
    expect(user.exec).to.include({apiVersion: 'client.authentication.k8s.io/v1', command: entries.exec.command, interactiveMode: 'Never'})
    expect(user.exec.env).to.deep.equal(entries.exec.env)
    expect(data.contexts.map((c: {name: string}) => c.name)).to.deep.equal(['kind-dev', 'default/demo-cluster/sre'])
    // Everything else is byte-identical: the old entries come out exactly as they went in.
    const oldPart = fixture.slice(fixture.indexOf('  - name: kind-dev\n    cluster:'), fixture.indexOf('contexts:'))
    expect(text).to.include(oldPart.trimEnd())
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    expect(readdirSync(dir)).to.deep.equal(['config'])
  })

  it('updates an existing backplane entry in place and drops settings no longer configured', () => {
    const file = KubeconfigFile.parse('/x', undefined)
    applyLoginEntries(file, {...entries, proxyUrl: 'http://old-proxy:3128'})
    applyLoginEntries(file, {...entries, server: 'https://bp2.example.com/backplane/cluster/abc123/'})
    const data = parse(file.toString())
    expect(data.clusters).to.have.length(1)
    expect(data.clusters[0].cluster).to.deep.equal({server: 'https://bp2.example.com/backplane/cluster/abc123/'})
    expect(data.users).to.have.length(1)
    expect(data.contexts).to.have.length(1)
  })

  it('refuses to overwrite a cluster entry of the same name that is not a backplane one', () => {
    const file = KubeconfigFile.parse('/x', fixture)
    expect(() => applyLoginEntries(file, {...entries, clusterName: 'kind-dev'})).to.throw(/already has a cluster named "kind-dev"/)
  })

  it('does not write when nothing changed', async () => {
    const path = join(tmp(), 'config')
    writeFileSync(path, fixture)
    const file = await KubeconfigFile.load(path)
    expect(await file.save()).to.equal(false)
  })

  for (const [what, text] of [
    ['broken YAML', 'clusters: [\n  - name: x\n'],
    ['a list at the top', '- a\n- b\n'],
    ['clusters that is not a list', 'clusters: {a: 1}\n'],
    ['an entry without a name', 'contexts:\n  - context: {cluster: a}\n'],
  ] as const) {
    it(`rejects ${what} with one line naming the file`, () => {
      expect(() => KubeconfigFile.parse('/home/u/.kube/config', text)).to.throw(/^kubeconfig \/home\/u\/\.kube\/config is not valid: /)
    })
  }

  it('merges KUBECONFIG files like kubectl: the first current-context wins, entries found in any file', async () => {
    const dir = tmp()
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    writeFileSync(a, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n')
    writeFileSync(b, fixture)
    const set = await KubeconfigSet.load([a, b])
    expect(set.currentContext()?.name).to.equal('kind-dev')
    expect(set.context('kind-dev')).to.include({cluster: 'kind-dev', namespace: 'team-a', user: 'kind-dev-admin'})
    expect(set.clusterServer('kind-dev')).to.equal('https://127.0.0.1:6443')
    expect(set.primary.path).to.equal(a)
  })
})

describe('kubeconfig formatting', () => {
  it('keeps kubectl\'s flush list style and flow maps as they were', () => {
    const kubectlStyle = 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://a:6443\n  name: a\ncontexts:\n- context:\n    cluster: a\n    user: u\n    extensions: {x: y}\n  name: a\ncurrent-context: a\nkind: Config\npreferences: {}\nusers:\n- name: u\n  user:\n    token: t\n'
    const file = KubeconfigFile.parse('/x', kubectlStyle)
    applyLoginEntries(file, entries)
    const out = file.toString()
    expect(out.startsWith('apiVersion: v1\nclusters:\n- cluster:\n    server: https://a:6443\n  name: a\n')).to.equal(true)
    expect(out).to.include('    extensions: {x: y}\n')
  })
})
