import {expect} from 'chai'
import {parse, stringify} from 'yaml'

import {KubeconfigFile} from '../../../src/lib/kube/kubeconfig.js'
import {applyLoginEntries} from '../../../src/lib/kube/login-entries.js'
import {SegmentedKubeconfig} from '../../../src/lib/kube/segmented.js'

const entries = {
  clusterName: 'demo-cluster',
  contextName: 'default/demo-cluster/sre',
  exec: {command: '/h/.kube/ocm-token', env: [{name: 'OCM_CONFIG', value: '/x/ocm.json'}]},
  namespace: 'default',
  server: 'https://bp.example.com/backplane/cluster/abc123/',
  userName: 'backplane-sre',
}

function bigConfig(n: number, indentSeq: boolean, extra: {cluster?: string} = {}): string {
  const cfg = {apiVersion: 'v1', clusters: [] as unknown[], contexts: [] as unknown[], 'current-context': 'ctx-1', kind: 'Config', preferences: {}, users: [] as unknown[]}
  for (let i = 0; i < n; i++) {
    cfg.clusters.push({cluster: {server: `https://api.c${i}.example.com:6443`}, name: `cluster-${i}`})
    cfg.contexts.push({context: {cluster: `cluster-${i}`, namespace: 'default', user: `user-${i}`}, name: `ctx-${i}`})
    cfg.users.push({name: `user-${i}`, user: {token: `t${i}`}})
  }

  if (extra.cluster) cfg.clusters.push({cluster: {'proxy-url': 'http://old:3128', server: extra.cluster}, name: 'demo-cluster'})
  return `# my clusters\n${stringify(cfg, {indentSeq})}`.replace('contexts:\n', 'contexts: # all of them\n')
}

/** Both editors must produce the same data; the segmented one must leave every other line as it was. */
function compare(text: string): {segmented: string; whole: string} {
  const seg = SegmentedKubeconfig.tryParse('/x', text)
  expect(seg, 'layout should be recognised').not.to.equal(undefined)
  applyLoginEntries(seg!, entries)
  const file = KubeconfigFile.parse('/x', text)
  applyLoginEntries(file, entries)
  return {segmented: seg!.toString(), whole: file.toString()}
}

describe('large kubeconfig, edited as text', () => {
  for (const indentSeq of [false, true]) {
    it(`adds login entries exactly as the yaml Document would (${indentSeq ? 'indented' : 'kubectl-style flush'} lists)`, () => {
      const text = bigConfig(50, indentSeq)
      const {segmented, whole} = compare(text)
      expect(parse(segmented)).to.deep.equal(parse(whole))
      expect(segmented).to.include('# my clusters\n').and.include('contexts: # all of them\n')
      // Every original line is still there, in order.
      const kept = text.split('\n')
      const out = segmented.split('\n')
      let j = 0
      for (const line of out) if (line === kept[j] || (kept[j]?.startsWith('current-context:') && line.startsWith('current-context:'))) j++
      expect(j).to.equal(kept.length)
    })
  }

  it('updates an existing entry in place (dropping a proxy-url no longer configured)', () => {
    const text = bigConfig(20, false, {cluster: 'https://bp.example.com/backplane/cluster/old/'})
    const {segmented, whole} = compare(text)
    const data = parse(segmented)
    expect(data).to.deep.equal(parse(whole))
    expect(data.clusters.filter((c: {name: string}) => c.name === 'demo-cluster')).to.deep.equal([{cluster: {server: entries.server}, name: 'demo-cluster'}])
    expect(data['current-context']).to.equal('default/demo-cluster/sre')
  })

  it('refuses to take over a non-backplane entry of the same name, like the Document path', () => {
    const seg = SegmentedKubeconfig.tryParse('/x', bigConfig(5, false, {cluster: 'https://api.direct:6443'}))!
    expect(() => applyLoginEntries(seg, entries)).to.throw(/already has a cluster named "demo-cluster"/)
  })

  for (const [what, text] of [
    ['flow-style sections', 'clusters: []\ncontexts: []\nusers: []\n'],
    ['a multi-document file', '---\nclusters:\n- name: a\n'],
    ['tabs', 'clusters:\n\t- name: a\n'],
    ['a section with something else inline', 'clusters: &anchor\n- name: a\ncontexts:\n- name: b\nusers:\n- name: c\n'],
    ['a missing section', 'clusters:\n- name: a\n  cluster: {}\ncontexts:\n- name: b\n  context: {}\n'],
    ['a stray line at the top level', 'clusters:\n- name: a\n  cluster: {}\n"odd": 1\n'],
  ]) {
    it(`leaves ${what} to the full parser`, () => {
      expect(SegmentedKubeconfig.tryParse('/x', text)).to.equal(undefined)
    })
  }
})

describe('a Go ocm-backplane login for the same cluster (static token)', () => {
  /** What Go's login writes: cluster <name>, user <username> with the token, context <ns>/<name>/<username>. */
  function withGoLogins(indentSeq: boolean, otherCluster: boolean): string {
    const cfg = parse(bigConfig(30, indentSeq, {cluster: 'https://bp.example.com/backplane/cluster/abc123/'}))
    cfg.users.push({name: 'sre', user: {token: 'sha256~go-token'}})
    cfg.contexts.push({context: {cluster: 'demo-cluster', namespace: 'default', user: 'sre'}, name: 'default/demo-cluster/sre'})
    cfg.contexts.push({context: {cluster: 'demo-cluster', namespace: 'openshift-monitoring', user: 'sre'}, name: 'openshift-monitoring/demo-cluster/sre'})
    if (otherCluster) cfg.contexts.push({context: {cluster: 'cluster-3', namespace: 'default', user: 'sre'}, name: 'default/cluster-3/sre'})
    cfg['current-context'] = 'openshift-monitoring/demo-cluster/sre'
    return stringify(cfg, {indentSeq})
  }

  for (const indentSeq of [false, true]) {
    it(`replaces its contexts instead of adding ours beside them; its user goes when nothing else uses it (${indentSeq ? 'indented' : 'flush'})`, () => {
      for (const otherCluster of [false, true]) {
        const text = withGoLogins(indentSeq, otherCluster)
        const {segmented, whole} = compare(text)
        const data = parse(segmented)
        expect(data).to.deep.equal(parse(whole))
        const names = data.contexts.map((c: {name: string}) => c.name)
        expect(names.filter((n: string) => n.includes('demo-cluster'))).to.deep.equal(['default/demo-cluster/sre'])
        expect(data.contexts.find((c: {name: string}) => c.name === 'default/demo-cluster/sre').context).to.deep.equal({cluster: 'demo-cluster', namespace: 'default', user: 'backplane-sre'})
        expect(data.users.some((u: {name: string}) => u.name === 'sre'), `Go user kept: ${otherCluster}`).to.equal(otherCluster)
        expect(data['current-context']).to.equal('default/demo-cluster/sre')
        // Nothing else is touched: the 30 other clusters, contexts and users are all there.
        expect(names.filter((n: string) => n.startsWith('ctx-'))).to.have.length(30)
        expect(data.users.filter((u: {name: string}) => u.name.startsWith('user-'))).to.have.length(30)
        if (otherCluster) expect(names).to.include('default/cluster-3/sre')
      }
    })
  }

  it('leaves contexts of ours (exec user) and other tools alone', () => {
    const cfg = parse(bigConfig(5, false, {cluster: 'https://bp.example.com/backplane/cluster/abc123/'}))
    cfg.users.push({name: 'backplane-sre', user: {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: '/h/.kube/ocm-token'}}})
    cfg.contexts.push({context: {cluster: 'demo-cluster', namespace: 'openshift-monitoring', user: 'backplane-sre'}, name: 'openshift-monitoring/demo-cluster/sre'})
    const {segmented, whole} = compare(stringify(cfg))
    expect(parse(segmented)).to.deep.equal(parse(whole))
    expect(parse(segmented).contexts.map((c: {name: string}) => c.name)).to.include.members(['openshift-monitoring/demo-cluster/sre', 'default/demo-cluster/sre'])
  })
})
