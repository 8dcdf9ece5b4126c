// Seed data for the simulator: a handful of clusters shaped like OCM's clusters_mgmt objects.
// Ids are fixed so tests (and humans) can refer to them.
import {createHash} from 'node:crypto'

/** A cluster as the simulator keeps it: OCM's fields, plus `sim` (simulator-only behaviour, never served). */
export interface SimCluster {
  kind: 'Cluster'
  id: string
  href: string
  name: string
  /** The DNS prefix of the cluster (OCM's `domain_prefix`); HyperShift names its HCP namespace after it. */
  domain_prefix: string
  external_id: string
  display_name: string
  creation_timestamp: string
  status: {state: string; limited_support_reason_count: number}
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
    /** OCM access protection: backplane login answers 403 until an access request is approved. */
    accessProtected?: boolean
    /** Its Kubernetes API answers 500 to everything (`error`), or never answers (`hang`). */
    kubeFault?: 'error' | 'hang'
    /** Service accounts in the cluster's Kubernetes API: backplane sessions (kube-sessions.ts) and others. */
    serviceAccounts: SimServiceAccount[]
    /** HyperShift: the name of its management cluster (OCM `clusters/{id}/hypershift`). */
    managementCluster?: string
    /** Classic: the API URL of the Hive shard that provisioned it (OCM `clusters/{id}/provision_shard`). */
    provisionShard?: string
    /** A management cluster: the name of its service cluster (OCM `osd_fleet_mgmt` management_clusters → parent). */
    serviceCluster?: string
  }
}

/** A service account inside a simulated cluster. */
export interface SimServiceAccount {
  labels?: Record<string, string>
  name: string
  namespace: string
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex')
}

/** The cluster as OCM serves it (`state` mirrors `status.state`, `sim` is dropped). */
export type OcmCluster = Omit<SimCluster, 'sim'> & {state: string}

export interface ClusterSpec {
  id: string
  name: string
  externalId: string
  displayName?: string
  state?: string
  /** OCM status.limited_support_reason_count (default 0). */
  limitedSupportReasons?: number
  serviceAccounts?: SimServiceAccount[]
  cloud?: 'aws' | 'gcp'
  region?: string
  product?: 'rosa' | 'osd'
  version?: string
  baseDomain?: string
  createdAt?: string
  hypershift?: boolean
  loginForbidden?: boolean
  accessProtected?: boolean
  namespaces?: string[]
  domainPrefix?: string
  /** Default: the seed Hive shard for a classic cluster, none for a HyperShift one. */
  provisionShard?: string
  managementCluster?: string
  serviceCluster?: string
}

/** The OCM environment's name (`/api/clusters_mgmt/v1/environment`): Hive namespaces are `uhc-<env>-<id>`. */
export const OCM_ENVIRONMENT_NAME = 'simulator'

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
    domain_prefix: spec.domainPrefix ?? spec.name,
    external_id: spec.externalId,
    display_name: spec.displayName ?? spec.name,
    creation_timestamp: spec.createdAt ?? '2024-03-01T10:00:00Z',
    status: {state: spec.state ?? 'ready', limited_support_reason_count: spec.limitedSupportReasons ?? 0},
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
      serviceAccounts: spec.serviceAccounts ?? [],
      loginForbidden: spec.loginForbidden ?? false,
      accessProtected: spec.accessProtected ?? false,
      managementCluster: spec.managementCluster,
      provisionShard: spec.provisionShard ?? (spec.hypershift ? undefined : HIVE_SHARD_API_URL),
      serviceCluster: spec.serviceCluster,
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
  /** In limited support, and with two other users' backplane sessions. */
  busy: {
    id: 'b3s9y0c1l2u3s4t5e6r7a8b9c0d1e2f',
    name: 'busy-cluster',
    externalId: '4b7c9d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e',
  },
  /** Access-protected: backplane login answers 403 until an access request is approved. */
  protected: {
    id: 'p7k2m9q4r8s1t6v3w5x0y2z4a6b8c1d',
    name: 'protected-cluster',
    externalId: '8e2d4c6a-1b3f-4a5e-9c7d-2f4e6a8b0c1d',
  },
  gcp: {
    id: 'afqro58qcesijm1iijn1k9chtam4cqcf',
    name: 'gcp-cluster',
    externalId: '53f03222-0b24-48c9-a9b0-b547820835ff',
  },
  /** A HyperShift (hosted control plane) cluster, hosted on `mgmt`. */
  hcp: {
    id: 'uch5l5o0f2uoeeupoodth4tatrp3f65t',
    name: 'hcp-cluster',
    externalId: '36710294-c721-496f-9631-4863aaf78706',
  },
  /** The management cluster running hcp-cluster's control plane; its service cluster is `svc`. */
  mgmt: {
    id: 'eoavbfqpaj2m26qhitftnjlgtu263jde',
    name: 'hs-mc-us-east-1a',
    externalId: '57face6d-d6f4-45b4-963c-361ed6b87d0d',
  },
  svc: {
    id: '3b2dvp55hoht4vjqqgtl1p5ejgh96r0s',
    name: 'hs-sc-us-east-1',
    externalId: 'c61a9863-dc45-438f-9e2f-67bf0368ef0c',
  },
  /** The Hive shard every classic cluster was provisioned by. */
  hive: {
    id: 'ulot2uejrpt4esci1jmc65os0hbbhmsr',
    name: 'hive-shard-01',
    externalId: '72280f10-723c-402f-ba62-a877a4fa6e1c',
  },
} as const

const HIVE_BASE_DOMAIN = 'hive.p1.openshiftapps.com'
/** The API URL of the seed Hive shard (its `api.url`), which classic clusters' provision_shard names. */
export const HIVE_SHARD_API_URL = `https://api.${SEED.hive.name}.${HIVE_BASE_DOMAIN}:6443`

/** Namespaces a management cluster holds for a HyperShift cluster (what `login --manager` prints). */
export function hypershiftNamespaces(cluster: {id: string; domainPrefix: string}): {HC_NAMESPACE: string; HCP_NAMESPACE: string; KLUSTERLET_NS: string} {
  const hc = `ocm-${OCM_ENVIRONMENT_NAME}-${cluster.id}`
  return {HC_NAMESPACE: hc, HCP_NAMESPACE: `${hc}-${cluster.domainPrefix}`, KLUSTERLET_NS: `klusterlet-${cluster.id}`}
}

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
      ...SEED.busy,
      region: 'us-east-2',
      product: 'osd',
      version: '4.15.3',
      limitedSupportReasons: 1,
      createdAt: '2024-02-14T12:00:00Z',
      serviceAccounts: [
        // Two other SREs logged in (accounts named after the md5 of their usernames), and an account that is not a session.
        {labels: {'managed.openshift.io/backplane': 'true'}, name: md5('alice-cee'), namespace: 'openshift-backplane-cee'},
        {labels: {'managed.openshift.io/backplane': 'true'}, name: md5('bob-srep'), namespace: 'openshift-backplane-srep'},
        {name: 'pipeline', namespace: 'openshift-backplane-srep'},
      ],
    }),
    makeCluster({...SEED.protected, region: 'eu-central-1', product: 'rosa', version: '4.16.2', accessProtected: true, createdAt: '2024-04-10T07:00:00Z'}),
    makeCluster({
      ...SEED.gcp,
      cloud: 'gcp',
      region: 'us-central1',
      product: 'osd',
      version: '4.13.20',
      createdAt: '2023-02-02T12:00:00Z',
    }),
    makeCluster({...SEED.hcp, hypershift: true, domainPrefix: 'hcp-demo', managementCluster: SEED.mgmt.name, version: '4.16.2', createdAt: '2024-05-02T09:00:00Z'}),
    makeCluster({
      ...SEED.mgmt,
      product: 'osd',
      serviceCluster: SEED.svc.name,
      namespaces: [...COMMON_NAMESPACES, 'hypershift', ...Object.values(hypershiftNamespaces({id: SEED.hcp.id, domainPrefix: 'hcp-demo'}))],
    }),
    makeCluster({...SEED.svc, product: 'osd', namespaces: [...COMMON_NAMESPACES, SEED.mgmt.name]}),
    makeCluster({
      ...SEED.hive,
      product: 'osd',
      baseDomain: HIVE_BASE_DOMAIN,
      // One uhc-<env>-<id> namespace per classic cluster it provisioned.
      namespaces: [...COMMON_NAMESPACES, 'hive', ...classicSeedIds().map((id) => `uhc-${OCM_ENVIRONMENT_NAME}-${id}`)],
    }),
  ]
}

function classicSeedIds(): string[] {
  return [SEED.demo, SEED.prodEast1, SEED.prodEast2, SEED.sleepy, SEED.forbidden, SEED.busy, SEED.protected, SEED.gcp, SEED.mgmt, SEED.svc].map((c) => c.id)
}

/** The cluster as the OCM API returns it. */
export function toOcmCluster(cluster: SimCluster): OcmCluster {
  const {sim: _sim, ...rest} = cluster
  return {...rest, state: cluster.status.state}
}
