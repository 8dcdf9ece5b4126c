// Seed data for the simulator: a handful of clusters shaped like OCM's clusters_mgmt objects.
// Ids are fixed so tests (and humans) can refer to them.

/** A cluster as the simulator keeps it: OCM's fields, plus `sim` (simulator-only behaviour, never served). */
export interface SimCluster {
  kind: 'Cluster'
  id: string
  href: string
  name: string
  external_id: string
  display_name: string
  creation_timestamp: string
  status: {state: string}
  api: {url: string}
  console: {url: string}
  dns: {base_domain: string}
  cloud_provider: {kind: 'CloudProviderLink'; id: 'aws' | 'gcp'; href: string}
  region: {kind: 'CloudRegionLink'; id: string; href: string}
  openshift_version: string
  version: {kind: 'VersionLink'; id: string; raw_id: string}
  product: {kind: 'ProductLink'; id: 'rosa' | 'osd'; href: string}
  hypershift: {enabled: boolean}
  managed: boolean
  multi_az: boolean
  sim: {
    /** Namespaces the cluster's Kubernetes API lists. */
    namespaces: string[]
    /** Backplane login answers 403 for this cluster. */
    loginForbidden: boolean
  }
}

/** The cluster as OCM serves it (`state` mirrors `status.state`, `sim` is dropped). */
export type OcmCluster = Omit<SimCluster, 'sim'> & {state: string}

export interface ClusterSpec {
  id: string
  name: string
  externalId: string
  displayName?: string
  state?: string
  cloud?: 'aws' | 'gcp'
  region?: string
  product?: 'rosa' | 'osd'
  version?: string
  baseDomain?: string
  createdAt?: string
  hypershift?: boolean
  loginForbidden?: boolean
  namespaces?: string[]
}

/** Namespaces every simulated cluster has; plus one per cluster (see appNamespace). */
export const COMMON_NAMESPACES = [
  'default',
  'kube-system',
  'openshift-console',
  'openshift-monitoring',
  'openshift-backplane-managed-scripts',
] as const

/** A namespace whose `get` answers 403 Forbidden on every cluster (it is not listed). */
export const FORBIDDEN_NAMESPACE = 'forbidden-ns'

/** The cluster's own application namespace: `demo-cluster` → `demo-app`, `prod-east-1` → `prod-east-1-app`. */
export function appNamespace(clusterName: string): string {
  return `${clusterName.replace(/-cluster$/, '')}-app`
}

/** Builds a full cluster object from a short description (tests can push these into `sim.clusters`). */
export function makeCluster(spec: ClusterSpec): SimCluster {
  const cloud = spec.cloud ?? 'aws'
  const version = spec.version ?? '4.15.3'
  const baseDomain = spec.baseDomain ?? `${spec.id.slice(0, 4)}.p1.openshiftapps.com`
  const region = spec.region ?? (cloud === 'gcp' ? 'us-central1' : 'us-east-1')
  const product = spec.product ?? 'rosa'
  return {
    kind: 'Cluster',
    id: spec.id,
    href: `/api/clusters_mgmt/v1/clusters/${spec.id}`,
    name: spec.name,
    external_id: spec.externalId,
    display_name: spec.displayName ?? spec.name,
    creation_timestamp: spec.createdAt ?? '2024-03-01T10:00:00Z',
    status: {state: spec.state ?? 'ready'},
    api: {url: `https://api.${spec.name}.${baseDomain}:6443`},
    console: {url: `https://console-openshift-console.apps.${spec.name}.${baseDomain}`},
    dns: {base_domain: baseDomain},
    cloud_provider: {kind: 'CloudProviderLink', id: cloud, href: `/api/clusters_mgmt/v1/cloud_providers/${cloud}`},
    region: {kind: 'CloudRegionLink', id: region, href: `/api/clusters_mgmt/v1/cloud_providers/${cloud}/regions/${region}`},
    openshift_version: version,
    version: {kind: 'VersionLink', id: `openshift-v${version}`, raw_id: version},
    product: {kind: 'ProductLink', id: product, href: `/api/clusters_mgmt/v1/products/${product}`},
    hypershift: {enabled: spec.hypershift ?? false},
    managed: true,
    multi_az: false,
    sim: {
      namespaces: spec.namespaces ?? [...COMMON_NAMESPACES, appNamespace(spec.name)],
      loginForbidden: spec.loginForbidden ?? false,
    },
  }
}

/** Names and ids of the seed clusters. */
export const SEED = {
  demo: {
    id: 'hdvbs0fetov4fgrkfc2pv5gokf4bajda',
    name: 'demo-cluster',
    externalId: 'd51066ca-b4df-4417-ac27-f0e65af9990c',
  },
  prodEast1: {
    id: 'scvbgo8butm029ge47jjbdthoq4ar8dm',
    name: 'prod-east-1',
    externalId: '4973759d-549a-4818-a7f2-ec79085c2280',
  },
  prodEast2: {
    id: 'cqcjbjd3vuemqpht48au6p6883j4pp0v',
    name: 'prod-east-2',
    externalId: '63f14c1e-81de-46e4-ae12-e3b5c5ebfd73',
  },
  sleepy: {
    id: 'ssmeu8qtusu3j1conh8ct09t4gmvnprk',
    name: 'sleepy-cluster',
    externalId: 'c8456a07-0425-481b-a69a-468396e7b04d',
  },
  forbidden: {
    id: '2k8tkkbopdekdqovgqkhchct0g9c0s2q',
    name: 'forbidden-cluster',
    externalId: 'c9f113a7-c920-4818-a6a8-95dd16d55835',
  },
  gcp: {
    id: 'afqro58qcesijm1iijn1k9chtam4cqcf',
    name: 'gcp-cluster',
    externalId: '53f03222-0b24-48c9-a9b0-b547820835ff',
  },
} as const

/** A fresh, mutable copy of the seed clusters (each simulator gets its own). */
export function seedClusters(): SimCluster[] {
  return [
    makeCluster({
      ...SEED.demo,
      // The apostrophe is deliberate: searches must escape quotes ('' in OCM's syntax).
      displayName: "SRE's demo cluster",
      region: 'us-east-1',
      product: 'rosa',
      version: '4.15.3',
      createdAt: '2024-03-01T10:00:00Z',
    }),
    makeCluster({...SEED.prodEast1, region: 'us-east-1', product: 'rosa', version: '4.15.3', createdAt: '2023-11-20T08:30:00Z'}),
    makeCluster({...SEED.prodEast2, region: 'us-east-1', product: 'rosa', version: '4.15.3', createdAt: '2023-11-21T08:30:00Z'}),
    makeCluster({
      ...SEED.sleepy,
      state: 'hibernating',
      region: 'us-west-2',
      product: 'osd',
      version: '4.14.10',
      createdAt: '2023-06-12T14:00:00Z',
    }),
    makeCluster({...SEED.forbidden, region: 'eu-west-1', product: 'rosa', version: '4.15.3', loginForbidden: true}),
    makeCluster({
      ...SEED.gcp,
      cloud: 'gcp',
      region: 'us-central1',
      product: 'osd',
      version: '4.13.20',
      createdAt: '2023-02-02T12:00:00Z',
    }),
  ]
}

/** The cluster as the OCM API returns it. */
export function toOcmCluster(cluster: SimCluster): OcmCluster {
  const {sim: _sim, ...rest} = cluster
  return {...rest, state: cluster.status.state}
}
