import {expect} from 'chai'

import {managerNamespaces, namespaceEnvName} from '../../../src/lib/ocm/related-clusters.js'

describe('related clusters: namespaces', () => {
  it('a classic cluster lives in uhc-<env>-<id> on its Hive shard (integration is "int")', () => {
    expect(managerNamespaces({id: 'abc', name: 'c1'}, 'production')).to.deep.equal({HIVE_NS: 'uhc-production-abc'})
    expect(managerNamespaces({hypershift: {enabled: false}, id: 'abc', name: 'c1'}, 'integration')).to.deep.equal({HIVE_NS: 'uhc-int-abc'})
    expect(namespaceEnvName('staging')).to.equal('staging')
  })

  it('a HyperShift cluster: HC, HCP (OCM\'s hcp_namespace, else from the domain prefix) and klusterlet namespaces', () => {
    const hcp = {domain_prefix: 'my-prefix', hypershift: {enabled: true}, id: 'xyz', name: 'my-hcp'}
    expect(managerNamespaces(hcp, 'staging')).to.deep.equal({HC_NAMESPACE: 'ocm-staging-xyz', HCP_NAMESPACE: 'ocm-staging-xyz-my-prefix', KLUSTERLET_NS: 'klusterlet-xyz'})
    expect(managerNamespaces(hcp, 'production', 'ocm-production-xyz-from-ocm').HCP_NAMESPACE).to.equal('ocm-production-xyz-from-ocm')
    expect(managerNamespaces({...hcp, domain_prefix: undefined}, 'integration').HCP_NAMESPACE).to.equal('ocm-int-xyz-my-hcp')
  })
})
