// A generated fleet: N clusters with realistic names, versions, clouds and regions, for `backplane each` and
// the 10,000-cluster search. Deterministic: the same N gives the same clusters (ids, names, order) every time.
import {createHash} from 'node:crypto'

import {SEED, type SimCluster, makeCluster} from './data.js'

const CUSTOMERS = [
  'acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'soylent',
  'wonka', 'oscorp', 'vandelay', 'massive', 'aperture', 'monarch', 'gringotts', 'nakatomi', 'pied-piper', 'dunder',
]
const ENVIRONMENTS = ['prod', 'prod', 'prod', 'stage', 'stage', 'dev', 'qa', 'perf']
const AWS_REGIONS = ['us-east-1', 'us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'ca-central-1', 'sa-east-1']
const GCP_REGIONS = ['us-central1', 'us-east4', 'europe-west1', 'asia-southeast1']
/** Minor versions, weighted like a fleet mid-upgrade: most on the two newest. */
const MINORS = [14, 15, 15, 16, 16, 16, 17, 17, 17, 17]
const MAX_PATCH: Record<number, number> = {14: 38, 15: 45, 16: 30, 17: 12}

/** What a generated cluster can be made to do (see faultIndexes and `sim.kubeFault`). */
export type FleetFault = 'error' | 'hang' | 'hibernating' | 'login-forbidden'

export interface FleetOptions {
  /**
   * Give a few clusters a fault, at fixed places: one whose Kubernetes API answers 500 (a failing command),
   * one hibernating, one whose backplane login answers 403 and one whose Kubernetes API never answers.
   */
  faults?: boolean
}

/** Where the faults of a generated fleet of `n` clusters are (indexes into the generated list). */
export function faultIndexes(n: number): Record<FleetFault, number> | undefined {
  if (n < 4) return undefined
  const at = (fraction: number, fallback: number) => Math.min(n - 1, Math.max(fallback, Math.floor(n * fraction)))
  return {error: at(0.1, 0), hibernating: at(0.3, 1), 'login-forbidden': at(0.5, 2), hang: at(0.7, 3)}
}

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest()
}

/** OCM's cluster ids: 32 characters of [a-z0-9]. */
function fleetId(index: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = Buffer.concat([digest(`fleet-id:${index}`), digest(`fleet-id2:${index}`)])
  let id = ''
  for (let i = 0; i < 32; i++) id += alphabet[bytes[i]! % alphabet.length]
  return id
}

function uuid(index: number): string {
  const h = digest(`fleet-external:${index}`).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** `us-east-1` → `use1`, `ap-southeast-1` → `aps1`, `us-central1` → `usc1`. */
function shortRegion(region: string): string {
  const [first, ...rest] = region.split('-')
  return first + rest.map((part) => (/^\d+$/.test(part) ? part : part[0]! + part.replaceAll(/\D/g, ''))).join('')
}

/** `n` generated clusters (all ready, unless `faults`); they never collide with the seed clusters. */
export function generateFleet(n: number, opts: FleetOptions = {}): SimCluster[] {
  const seedIds = new Set<string>(Object.values(SEED).map((c) => c.id))
  const clusters: SimCluster[] = []
  for (let i = 0; i < n; i++) {
    const r = digest(`fleet:${i}`)
    const customer = CUSTOMERS[r[0]! % CUSTOMERS.length]!
    const environment = ENVIRONMENTS[r[1]! % ENVIRONMENTS.length]!
    const gcp = r[2]! % 8 === 0
    const region = gcp ? GCP_REGIONS[r[3]! % GCP_REGIONS.length]! : AWS_REGIONS[r[3]! % AWS_REGIONS.length]!
    const minor = MINORS[r[4]! % MINORS.length]!
    const version = `4.${minor}.${r[5]! % (MAX_PATCH[minor]! + 1)}`
    const hypershift = !gcp && minor >= 15 && r[6]! % 3 === 0
    // Names are unique: the customer, the environment, a short region tag and a sequence number.
    const regionTag = shortRegion(region)
    const name = `${customer}-${environment}-${regionTag}-${String(i + 1).padStart(4, '0')}`
    const created = new Date(Date.UTC(2022, 0, 1) + (r.readUInt32BE(8) % (3 * 365 * 24 * 3600)) * 1000)
    let id = fleetId(i)
    if (seedIds.has(id)) id = fleetId(i + n)
    clusters.push(
      makeCluster({
        cloud: gcp ? 'gcp' : 'aws',
        createdAt: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        externalId: uuid(i),
        hypershift,
        id,
        managementCluster: hypershift ? SEED.mgmt.name : undefined,
        name,
        product: gcp ? 'osd' : r[7]! % 4 === 0 ? 'osd' : 'rosa',
        region,
        version,
      }),
    )
  }

  const faults = opts.faults ? faultIndexes(n) : undefined
  if (faults) {
    clusters[faults.error]!.sim.kubeFault = 'error'
    clusters[faults.hang]!.sim.kubeFault = 'hang'
    clusters[faults.hibernating]!.status.state = 'hibernating'
    clusters[faults['login-forbidden']]!.sim.loginForbidden = true
  }

  return clusters
}
