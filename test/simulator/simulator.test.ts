import * as k8s from '@kubernetes/client-node'
import {expect} from 'chai'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {COMMON_NAMESPACES, SEED, type Simulator, makeCluster, startSimulator} from '../../src/simulator/index.js'
import {call, clusterSearch, listPath, run} from './helpers.js'

interface ClusterList {
  kind: string
  page: number
  size: number
  total: number
  items: Array<{id: string; name: string; external_id: string; state: string; status: {state: string}; api: {url: string}}>
}

interface TokenResponse {
  access_token: string
  refresh_token: string
  expires_in: number
  refresh_expires_in: number
  token_type: string
}

const form = (fields: Record<string, string>): {headers: Record<string, string>; body: string; method: string} => ({
  method: 'POST',
  headers: {'Content-Type': 'application/x-www-form-urlencoded'},
  body: new URLSearchParams(fields).toString(),
})

describe('simulator', () => {
  let sim: Simulator
  let token: string
  let scratch: string

  before(async () => {
    sim = await startSimulator({quiet: true})
    token = sim.issueAccessToken()
    scratch = mkdtempSync(join(tmpdir(), 'backplane-sim-test-'))
  })

  after(async () => {
    await sim.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  describe('startup', () => {
    it('listens on https://127.0.0.1:PORT and answers /healthz without auth', async () => {
      expect(sim.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(sim.ocmUrl).to.equal(sim.url)
      expect(sim.backplaneUrl).to.equal(sim.url)
      expect(sim.tokenUrl).to.equal(`${sim.url}/auth/realms/redhat-external/protocol/openid-connect/token`)
      const res = await call(sim, '/healthz')
      expect(res.status).to.equal(200)
      expect(res.body).to.equal('ok')
    })

    it('writes ca.pem, ocm.json and backplane.json (configs readable only by the owner)', () => {
      expect(readFileSync(sim.caFile, 'utf8')).to.equal(sim.caPem)
      expect(sim.caFile).to.equal(join(sim.dir, 'ca.pem'))

      const ocm = JSON.parse(readFileSync(sim.ocmConfigPath, 'utf8')) as Record<string, unknown>
      expect(ocm).to.include({client_id: 'cloud-services', url: sim.url, token_url: sim.tokenUrl})
      expect(ocm.scopes).to.deep.equal(['openid'])
      expect(ocm.access_token).to.be.a('string').and.match(/^[\w-]+\.[\w-]+\.[\w-]+$/)
      expect(ocm.refresh_token).to.be.a('string').and.match(/^[\w-]+\.[\w-]+\.[\w-]+$/)
      expect(statSync(sim.ocmConfigPath).mode & 0o777).to.equal(0o600)

      const backplane = JSON.parse(readFileSync(sim.backplaneConfigPath, 'utf8')) as Record<string, unknown>
      expect(backplane).to.deep.equal({'ca-file': sim.caFile})
      expect(statSync(sim.backplaneConfigPath).mode & 0o777).to.equal(0o600)
    })

    it('issues JWTs with the documented claims', () => {
      const [, payload] = sim.issueAccessToken({username: 'alice', ttlSeconds: 60}).split('.')
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>
      expect(claims).to.include({
        iss: `${sim.url}/auth/realms/redhat-external`,
        preferred_username: 'alice',
        typ: 'Bearer',
      })
      expect(claims.exp).to.equal((claims.iat as number) + 60)
      expect(claims.email).to.be.a('string').and.include('@')
      expect(claims.sub).to.be.a('string').and.not.equal('')
      const [, refreshPayload] = sim.issueRefreshToken().split('.')
      expect(JSON.parse(Buffer.from(refreshPayload!, 'base64url').toString('utf8'))).to.include({typ: 'Refresh'})
    })
  })

  describe('SSO token endpoint', () => {
    it('exchanges the refresh token from ocm.json for working tokens', async () => {
      const {refresh_token: refreshToken} = JSON.parse(readFileSync(sim.ocmConfigPath, 'utf8')) as {refresh_token: string}
      const res = await call(sim, sim.tokenUrl, form({grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'cloud-services'}))
      expect(res.status).to.equal(200)
      const body = res.json<TokenResponse>()
      expect(body.token_type).to.equal('Bearer')
      expect(body.expires_in).to.equal(900)
      expect(body.refresh_expires_in).to.be.greaterThan(0)
      expect(body.refresh_token).to.not.equal(refreshToken)

      const account = await call(sim, '/api/accounts_mgmt/v1/current_account', {token: body.access_token})
      expect(account.status).to.equal(200)
      expect(account.json()).to.include({kind: 'Account', username: 'sre-demo'})
    })

    it('keeps the username of the refresh token', async () => {
      const res = await call(
        sim,
        sim.tokenUrl,
        form({grant_type: 'refresh_token', refresh_token: sim.issueRefreshToken({username: 'bob'}), client_id: 'cloud-services'}),
      )
      expect(res.status).to.equal(200)
      const account = await call(sim, '/api/accounts_mgmt/v1/current_account', {token: res.json<TokenResponse>().access_token})
      expect(account.json()).to.include({username: 'bob'})
    })

    it('rejects revoked, expired and foreign refresh tokens with invalid_grant', async () => {
      const before = sim.issueRefreshToken()
      sim.revokeRefreshTokens()
      const revoked = await call(sim, sim.tokenUrl, form({grant_type: 'refresh_token', refresh_token: before, client_id: 'cloud-services'}))
      expect(revoked.status).to.equal(400)
      expect(revoked.json()).to.deep.equal({error: 'invalid_grant', error_description: 'Token is not active'})

      const after = sim.issueRefreshToken()
      const fresh = await call(sim, sim.tokenUrl, form({grant_type: 'refresh_token', refresh_token: after, client_id: 'cloud-services'}))
      expect(fresh.status).to.equal(200)

      const expired = sim.issueRefreshToken({ttlSeconds: -1})
      const res = await call(sim, sim.tokenUrl, form({grant_type: 'refresh_token', refresh_token: expired, client_id: 'cloud-services'}))
      expect(res.status).to.equal(400)
      expect(res.json()).to.include({error: 'invalid_grant'})

      // An access token is not a refresh token.
      const wrongType = await call(sim, sim.tokenUrl, form({grant_type: 'refresh_token', refresh_token: token, client_id: 'cloud-services'}))
      expect(wrongType.status).to.equal(400)
      expect(wrongType.json()).to.include({error: 'invalid_grant'})
    })

    it('answers unsupported_grant_type for other grants', async () => {
      const res = await call(sim, sim.tokenUrl, form({grant_type: 'password', username: 'x', password: 'y', client_id: 'cloud-services'}))
      expect(res.status).to.equal(400)
      expect(res.json()).to.include({error: 'unsupported_grant_type'})
    })
  })

  describe('authentication', () => {
    it('answers 401 without a token, in each role’s error style', async () => {
      const ocm = await call(sim, '/api/clusters_mgmt/v1/clusters')
      expect(ocm.status).to.equal(401)
      expect(ocm.json()).to.include({kind: 'Error', id: '401', code: 'CLUSTERS-MGMT-401'})

      const backplane = await call(sim, `/backplane/login/${SEED.demo.id}`, {method: 'POST'})
      expect(backplane.status).to.equal(401)
      expect(backplane.json()).to.include({statusCode: 401})
      expect(backplane.json().message).to.be.a('string').and.not.equal('')

      const kube = await call(sim, `/backplane/cluster/${SEED.demo.id}/api/v1/namespaces`)
      expect(kube.status).to.equal(401)
      expect(kube.json()).to.include({kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401})
    })

    it('rejects expired, refresh-typed, tampered and foreign access tokens', async () => {
      const path = '/api/accounts_mgmt/v1/current_account'
      expect((await call(sim, path, {token: sim.issueAccessToken({ttlSeconds: -5})})).status).to.equal(401)
      expect((await call(sim, path, {token: sim.issueRefreshToken()})).status).to.equal(401)
      const [h, p, s] = token.split('.')
      const forged = Buffer.from(JSON.stringify({...JSON.parse(Buffer.from(p!, 'base64url').toString()), preferred_username: 'root'})).toString('base64url')
      expect((await call(sim, path, {token: `${h}.${forged}.${s}`})).status).to.equal(401)

      const other = await startSimulator({quiet: true})
      try {
        const res = await call(sim, path, {token: other.issueAccessToken()})
        expect(res.status).to.equal(401)
        expect(res.json().reason).to.be.a('string').and.not.equal('')
      } finally {
        await other.stop()
      }

      expect((await call(sim, path, {token})).status).to.equal(200)
    })
  })

  describe('OCM', () => {
    it('advertises backplane in the environment', async () => {
      const res = await call(sim, '/api/clusters_mgmt/v1/environment', {token})
      expect(res.status).to.equal(200)
      expect(res.json()).to.deep.equal({kind: 'Environment', name: 'simulator', backplane_url: sim.url})
    })

    it('finds a cluster by id, name or external id with the CLI’s search', async () => {
      for (const key of [SEED.demo.id, SEED.demo.name, SEED.demo.externalId]) {
        const res = await call(sim, listPath(clusterSearch(key)), {token})
        expect(res.status, key).to.equal(200)
        const list = res.json<ClusterList>()
        expect(list).to.include({kind: 'ClusterList', page: 1, size: 1, total: 1})
        expect(list.items[0]).to.include({id: SEED.demo.id, name: 'demo-cluster', external_id: SEED.demo.externalId, state: 'ready'})
        expect(list.items[0]!.api.url).to.match(/^https:\/\/api\.demo-cluster\.[a-z0-9.]+:6443$/)
      }
    })

    it('matches like patterns with % and _, case-sensitively', async () => {
      const names = async (search: string): Promise<string[]> => {
        const res = await call(sim, listPath(search), {token})
        expect(res.status, search).to.equal(200)
        const list = res.json<ClusterList>()
        expect(list.total).to.equal(list.items.length)
        return list.items.map((c) => c.name).sort()
      }

      expect(await names(clusterSearch('prod-east%'))).to.deep.equal(['prod-east-1', 'prod-east-2'])
      expect(await names(clusterSearch('prod-east'))).to.deep.equal([])
      expect(await names("name like 'prod-east-_'")).to.deep.equal(['prod-east-1', 'prod-east-2'])
      expect(await names("name like 'PROD-EAST%'")).to.deep.equal([])
      expect(await names("name like '%cluster' and cloud_provider.id = 'gcp'")).to.deep.equal(['gcp-cluster'])
      expect(await names("state = 'hibernating'")).to.deep.equal(['sleepy-cluster'])
      expect(await names('')).to.have.length(sim.clusters.length)
    })

    it('paginates with size and page', async () => {
      const res = await call(sim, '/api/clusters_mgmt/v1/clusters?size=2&page=2', {token})
      const list = res.json<ClusterList>()
      expect(list).to.include({page: 2, size: 2, total: sim.clusters.length})
      expect(list.items.map((c) => c.id)).to.deep.equal(sim.clusters.slice(2, 4).map((c) => c.id))
    })

    it("handles '' as an escaped quote in search strings", async () => {
      const byDisplayName = await call(sim, listPath("display_name = 'SRE''s demo cluster'"), {token})
      expect(byDisplayName.status).to.equal(200)
      expect(byDisplayName.json<ClusterList>().items.map((c) => c.id)).to.deep.equal([SEED.demo.id])

      const quoted = await call(sim, listPath(clusterSearch("it's")), {token})
      expect(quoted.status).to.equal(200)
      expect(quoted.json<ClusterList>().total).to.equal(0)
    })

    it('answers 400 with an OCM error for searches it cannot parse', async () => {
      for (const search of ["name = 'unterminated", "(name = 'x'", "name = x", "name ~ 'x'", "bogus_field = 'x'", "name = 'x' or"]) {
        const res = await call(sim, listPath(search), {token})
        expect(res.status, search).to.equal(400)
        const body = res.json()
        expect(body, search).to.include({kind: 'Error', id: '400', code: 'CLUSTERS-MGMT-400'})
        expect(body.href).to.be.a('string')
        expect(body.reason).to.be.a('string').and.include('search')
      }
    })

    it('gets a cluster by id, and 404s for unknown ids', async () => {
      const res = await call(sim, `/api/clusters_mgmt/v1/clusters/${SEED.gcp.id}`, {token})
      expect(res.status).to.equal(200)
      const cluster = res.json<Record<string, any>>()
      expect(cluster).to.include({kind: 'Cluster', id: SEED.gcp.id, name: 'gcp-cluster', openshift_version: '4.13.20', managed: true})
      expect(cluster.cloud_provider.id).to.equal('gcp')
      expect(cluster.region.id).to.equal('us-central1')
      expect(cluster.product.id).to.equal('osd')
      expect(cluster.hypershift).to.deep.equal({enabled: false})
      expect(cluster).to.not.have.property('sim')

      const missing = await call(sim, '/api/clusters_mgmt/v1/clusters/doesnotexist', {token})
      expect(missing.status).to.equal(404)
      expect(missing.json()).to.include({kind: 'Error', id: '404', code: 'CLUSTERS-MGMT-404'})
    })

    it('serves a pull secret and the current account', async () => {
      const secret = await call(sim, '/api/accounts_mgmt/v1/access_token', {method: 'POST', token})
      expect(secret.status).to.equal(200)
      const {auths} = secret.json<{auths: Record<string, {auth: string; email: string}>}>()
      expect(auths).to.have.keys('cloud.openshift.com', 'quay.io', 'registry.connect.redhat.com', 'registry.redhat.io')
      expect(Buffer.from(auths['registry.redhat.io']!.auth, 'base64').toString()).to.match(/^sre-demo:\w+$/)

      const account = await call(sim, '/api/accounts_mgmt/v1/current_account', {token: sim.issueAccessToken({username: 'carol'})})
      const body = account.json<Record<string, any>>()
      expect(body).to.include({kind: 'Account', username: 'carol', email: 'carol@example.com'})
      expect(body.organization.id).to.be.a('string').and.not.equal('')
    })
  })

  describe('backplane login', () => {
    it('returns the proxy uri for a ready cluster (and records readonly)', async () => {
      const res = await call(sim, `/backplane/login/${SEED.demo.id}?readonly=true`, {method: 'POST', token})
      expect(res.status).to.equal(200)
      expect(res.json()).to.include({proxy_uri: `/backplane/cluster/${SEED.demo.id}/`, statusCode: 200})
      expect(sim.requests.at(-1)).to.include({method: 'POST', path: `/backplane/login/${SEED.demo.id}?readonly=true`})
    })

    it('answers 403 for forbidden-cluster, 404 for unknown clusters, 400 for hibernating ones', async () => {
      const forbidden = await call(sim, `/backplane/login/${SEED.forbidden.id}`, {method: 'POST', token})
      expect(forbidden.status).to.equal(403)
      expect(forbidden.json()).to.deep.equal({
        statusCode: 403,
        message: `user sre-demo is not allowed to access cluster ${SEED.forbidden.id}`,
      })

      const unknown = await call(sim, '/backplane/login/nosuchcluster', {method: 'POST', token})
      expect(unknown.status).to.equal(404)
      expect(unknown.json()).to.include({statusCode: 404})

      // Login takes the internal id only.
      const byName = await call(sim, `/backplane/login/${SEED.demo.name}`, {method: 'POST', token})
      expect(byName.status).to.equal(404)

      const sleepy = await call(sim, `/backplane/login/${SEED.sleepy.id}`, {method: 'POST', token})
      expect(sleepy.status).to.equal(400)
      expect(sleepy.json()).to.include({statusCode: 400})
      expect(sleepy.json().message).to.include('hibernating')
    })

    it('follows live changes to sim.clusters', async () => {
      const extra = makeCluster({id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', name: 'added-later', externalId: '00000000-0000-4000-8000-000000000000'})
      sim.clusters.push(extra)
      try {
        const res = await call(sim, `/backplane/login/${extra.id}`, {method: 'POST', token})
        expect(res.status).to.equal(200)
        extra.status.state = 'hibernating'
        expect((await call(sim, `/backplane/login/${extra.id}`, {method: 'POST', token})).status).to.equal(400)
      } finally {
        sim.clusters.splice(sim.clusters.indexOf(extra), 1)
      }
    })

    it('answers 404 {statusCode, message} for unimplemented backplane paths', async () => {
      const res = await call(sim, `/backplane/no-such-api/${SEED.demo.id}`, {token})
      expect(res.status).to.equal(404)
      expect(res.json()).to.include({statusCode: 404})
    })
  })

  describe('Kubernetes API behind /backplane/cluster/{id}/', function () {
    this.timeout(120_000)
    let kubeconfig: string
    let cacheDir: string

    const writeKubeconfig = (file: string, clusterId: string, bearer: string): string => {
      const config = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{name: 'sim', cluster: {server: `${sim.url}/backplane/cluster/${clusterId}/`, 'certificate-authority': sim.caFile}}],
        users: [{name: 'sre', user: {token: bearer}}],
        contexts: [{name: 'sim', context: {cluster: 'sim', user: 'sre'}}],
        'current-context': 'sim',
      }
      const path = join(scratch, file)
      writeFileSync(path, JSON.stringify(config), {mode: 0o600})
      return path
    }

    const kubectl = (args: string[], config = kubeconfig) => run('kubectl', ['--kubeconfig', config, '--cache-dir', cacheDir, ...args], 60_000)

    before(() => {
      kubeconfig = writeKubeconfig('kubeconfig.json', SEED.demo.id, token)
      cacheDir = join(scratch, 'kube-cache')
    })

    it('kubectl get namespaces lists the cluster’s namespaces', async () => {
      const res = await kubectl(['get', 'namespaces'])
      expect(res.code, res.stderr).to.equal(0)
      const lines = res.stdout.trim().split('\n')
      expect(lines[0]).to.match(/^NAME\s+STATUS\s+AGE$/)
      const names = lines.slice(1).map((l) => l.split(/\s+/)[0])
      expect(names).to.deep.equal([...COMMON_NAMESPACES, 'demo-app'])
      for (const line of lines.slice(1)) expect(line).to.match(/\sActive\s+\d+[smhdy]/)
      expect(sim.requests.some((r) => r.path.startsWith(`/backplane/cluster/${SEED.demo.id}/api/v1/namespaces`))).to.equal(true)
    })

    it('kubectl get namespace X, -o json, and version work', async () => {
      const one = await kubectl(['get', 'namespace', 'openshift-monitoring'])
      expect(one.code, one.stderr).to.equal(0)
      expect(one.stdout).to.match(/^NAME\s+STATUS\s+AGE\nopenshift-monitoring\s+Active\s+\S+\n$/)

      const json = await kubectl(['get', 'ns', '-o', 'json'])
      expect(json.code, json.stderr).to.equal(0)
      const list = JSON.parse(json.stdout) as {kind: string; items: Array<{kind: string; metadata: {name: string}; status: {phase: string}}>}
      expect(list.kind).to.equal('List')
      expect(list.items.map((i) => i.metadata.name)).to.include.members(['default', 'demo-app'])
      expect(list.items.every((i) => i.kind === 'Namespace' && i.status.phase === 'Active')).to.equal(true)

      const version = await kubectl(['version', '-o', 'json'])
      expect(version.code, version.stderr).to.equal(0)
      const info = JSON.parse(version.stdout) as {serverVersion: {major: string; minor: string; gitVersion: string}}
      expect(info.serverVersion).to.include({major: '1', minor: '28'}) // OpenShift 4.15 ships Kubernetes 1.28
    })

    it('kubectl get namespace nope fails with NotFound; forbidden-ns with Forbidden', async () => {
      const nope = await kubectl(['get', 'namespace', 'nope'])
      expect(nope.code).to.not.equal(0)
      expect(nope.stderr).to.include('Error from server (NotFound): namespaces "nope" not found')

      const forbidden = await kubectl(['get', 'namespace', 'forbidden-ns'])
      expect(forbidden.code).to.not.equal(0)
      expect(forbidden.stderr).to.include('Error from server (Forbidden)')
    })

    it('kubectl with a bad token is Unauthorized', async () => {
      const config = writeKubeconfig('bad-kubeconfig.json', SEED.demo.id, 'not-a-token')
      const res = await kubectl(['get', 'namespaces'], config)
      expect(res.code).to.not.equal(0)
      expect(res.stderr).to.match(/Unauthorized/)
    })

    it('answers 404 Status for unknown clusters and paths', async () => {
      const cluster = await call(sim, '/backplane/cluster/nosuchcluster/api/v1/namespaces', {token})
      expect(cluster.status).to.equal(404)
      expect(cluster.json()).to.include({kind: 'Status', reason: 'NotFound', code: 404})

      const path = await call(sim, `/backplane/cluster/${SEED.demo.id}/apis/example.invalid/v1/widgets`, {token})
      expect(path.status).to.equal(404)
      expect(path.json()).to.include({kind: 'Status', reason: 'NotFound'})
    })

    it('serves each cluster its own namespace', async () => {
      const res = await call(sim, `/backplane/cluster/${SEED.prodEast1.id}/api/v1/namespaces`, {token})
      expect(res.status).to.equal(200)
      const list = res.json<{kind: string; items: Array<{metadata: {name: string}}>}>()
      expect(list.kind).to.equal('NamespaceList')
      expect(list.items.map((i) => i.metadata.name)).to.include('prod-east-1-app').and.not.include('demo-app')
    })

    it('works with @kubernetes/client-node CoreV1Api', async () => {
      const kc = new k8s.KubeConfig()
      kc.loadFromOptions({
        clusters: [{name: 'sim', server: `${sim.url}/backplane/cluster/${SEED.gcp.id}/`, caFile: sim.caFile}],
        users: [{name: 'sre', token}],
        contexts: [{name: 'sim', cluster: 'sim', user: 'sre'}],
        currentContext: 'sim',
      })
      const api = kc.makeApiClient(k8s.CoreV1Api)
      const list = await api.listNamespace()
      expect(list.items.map((n) => n.metadata?.name)).to.deep.equal([...COMMON_NAMESPACES, 'gcp-app'])
      const ns = await api.readNamespace({name: 'kube-system'})
      expect(ns.metadata?.name).to.equal('kube-system')
      expect(ns.status?.phase).to.equal('Active')

      let error: unknown
      try {
        await api.readNamespace({name: 'nope'})
      } catch (error_) {
        error = error_
      }

      expect((error as {code?: number}).code).to.equal(404)
    })
  })

  describe('faults', () => {
    afterEach(() => {
      sim.setFault('GET /api/clusters_mgmt/v1/clusters', undefined)
      sim.setFault('POST /backplane/login/', undefined)
    })

    it('answers an injected 502 HTML page, `times` times, then normally', async () => {
      sim.setFault('GET /api/clusters_mgmt/v1/clusters', {status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html', times: 2})
      const path = listPath(clusterSearch('demo-cluster'))
      const recorded = sim.requests.length
      for (let i = 0; i < 2; i++) {
        const res = await call(sim, path, {token})
        expect(res.status).to.equal(502)
        expect(res.headers['content-type']).to.equal('text/html')
        expect(res.body).to.equal('<html>Bad gateway</html>')
      }

      const normal = await call(sim, path, {token})
      expect(normal.status).to.equal(200)
      expect(normal.json<ClusterList>().total).to.equal(1)
      expect(sim.requests.slice(recorded).map((r) => r.path)).to.deep.equal([path, path, path])
    })

    it('only matches the given method and path prefix', async () => {
      sim.setFault('POST /backplane/login/', {status: 500, body: '{"statusCode":500,"message":"boom"}'})
      const login = await call(sim, `/backplane/login/${SEED.demo.id}`, {method: 'POST', token})
      expect(login.status).to.equal(500)
      expect(login.json()).to.deep.equal({statusCode: 500, message: 'boom'})
      expect((await call(sim, `/backplane/login/${SEED.demo.id}`, {token})).status).to.equal(405)
      expect((await call(sim, '/api/clusters_mgmt/v1/environment', {token})).status).to.equal(200)
      sim.setFault('POST /backplane/login/', undefined)
      expect((await call(sim, `/backplane/login/${SEED.demo.id}`, {method: 'POST', token})).status).to.equal(200)
    })

    it('cuts the connection when asked to, and records the request first', async () => {
      sim.setFault('POST /backplane/login/', {destroy: true, times: 1})
      const recorded = sim.requests.length
      let error: NodeJS.ErrnoException | undefined
      try {
        await call(sim, `/backplane/login/${SEED.demo.id}`, {method: 'POST', token, body: '{}'})
      } catch (error_) {
        error = error_ as NodeJS.ErrnoException
      }

      expect(error?.code).to.be.oneOf(['ECONNRESET', 'EPIPE'])
      expect(sim.requests[recorded]).to.include({method: 'POST', path: `/backplane/login/${SEED.demo.id}`, body: '{}'})
      expect(sim.requests[recorded]!.headers.authorization).to.equal(`Bearer ${token}`)
      expect((await call(sim, `/backplane/login/${SEED.demo.id}`, {method: 'POST', token})).status).to.equal(200)
    })

    it('delays responses', async () => {
      sim.setFault('GET /api/clusters_mgmt/v1/clusters', {delayMs: 300, times: 1})
      const started = Date.now()
      const res = await call(sim, listPath(clusterSearch(SEED.demo.id)), {token})
      expect(Date.now() - started).to.be.at.least(290)
      expect(res.status).to.equal(200)
    })
  })

  describe('stop()', () => {
    it('does not hang on open streams, and removes its temp dir', async () => {
      const other = await startSimulator({quiet: true})
      const otherToken = other.issueAccessToken()
      // Hold a watch stream open.
      const events = await new Promise<string>((resolve, reject) => {
        const req = httpsRequest(
          `${other.url}/backplane/cluster/${SEED.demo.id}/api/v1/namespaces?watch=true`,
          {headers: {Authorization: `Bearer ${otherToken}`}, ca: other.caPem},
          (res) => {
            res.once('data', (chunk: Buffer) => resolve(chunk.toString()))
            res.on('error', () => {})
          },
        )
        req.on('error', () => {})
        req.on('timeout', () => reject(new Error('timeout')))
        req.end()
      })
      expect(JSON.parse(events.split('\n')[0]!)).to.include({type: 'ADDED'})

      const started = Date.now()
      await other.stop()
      expect(Date.now() - started).to.be.below(2000)
      expect(existsSync(other.dir)).to.equal(false)
      await other.stop() // idempotent
    })

    it('keeps a directory it was given', async () => {
      const dir = join(scratch, 'given')
      const other = await startSimulator({quiet: true, dir})
      expect(other.dir).to.equal(dir)
      expect(existsSync(join(dir, 'ocm.json'))).to.equal(true)
      await other.stop()
      expect(existsSync(join(dir, 'ocm.json'))).to.equal(true)
    })
  })
})
