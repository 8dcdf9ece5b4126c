import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse, stringify} from 'yaml'

import {ELEVATED_USER, SEED} from '../../src/simulator/index.js'
import {backplane, kubectl, RUN, userHome} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'
import {inTerminal} from '../support/terminal.js'
import {useSimulator} from '../support/sim.js'

const fixture = readFileSync(new URL('../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')
const CONTEXT = 'default/demo-cluster/sre-demo'

/** A stand-in for oc (BACKPLANE_OC) that records its argv, KUBECONFIG and that file, then sleeps or exits as told. */
function fakeOc(dir: string): string {
  const path = join(dir, 'fake-oc')
  writeFileSync(
    path,
    `#!/bin/bash
out="$FAKE_OC_OUT"
printf '%s\\0' "$@" > "$out.argv"
printf '%s' "$KUBECONFIG" > "$out.kubeconfig"
stat -c %a "$(dirname "$KUBECONFIG")" > "$out.mode"
cp "$KUBECONFIG" "$out.config"
if [ -n "$FAKE_SLEEP" ]; then echo started > "$out.started"; sleep "$FAKE_SLEEP"; fi
exit "\${FAKE_EXIT:-0}"
`,
  )
  chmodSync(path, 0o755)
  return path
}

function elevateTemps(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('backplane-elevate-'))
}

describe('elevate', function () {
  this.timeout(90_000)
  const s = useSimulator()
  const homes: string[] = []
  const home = (extra: Record<string, string> = {}) => {
    const u = userHome(s.sim, extra)
    homes.push(u.home)
    return u
  }

  const loggedIn = async (extra: Record<string, string> = {}) => {
    const u = home(extra)
    writeFileSync(u.kubeconfig, fixture)
    const r = await backplane(['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    return u
  }

  after(() => {
    for (const h of homes) rmSync(h, {force: true, recursive: true})
  })

  it('a write without elevation gets the cluster\'s 403; through elevate it succeeds, the simulator records the reason, and the kubeconfig only gains the reason cache', async () => {
    const u = await loggedIn()
    const denied = await kubectl(['create', 'namespace', 'elevate-test-a'], u.env)
    expect(denied.code).to.equal(1)
    expect(denied.stderr).to.equal(
      'Error from server (Forbidden): namespaces is forbidden: User "sre-demo" cannot create resource "namespaces" in API group "" at the cluster scope\n',
    )
    const before = readFileSync(u.kubeconfig, 'utf8')
    const auditFrom = s.sim.audit.length

    const r = await backplane(['elevate', 'OHSS-1234 create a namespace', '--', 'create', 'namespace', 'elevate-test-a'], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal('namespace/elevate-test-a created\n')
    const audit = s.sim.audit.slice(auditFrom)
    expect(audit.map((a) => `${a.method} ${a.path.split('?')[0]}`)).to.deep.equal(['POST /api/v1/namespaces'])
    expect(audit[0]).to.include({as: ELEVATED_USER, clusterId: SEED.demo.id, user: 'sre-demo'})
    expect(audit[0]!.reasons).to.deep.equal(['OHSS-1234 create a namespace'])
    // The audit trail is also served on the simulator's debug path.
    const served = await kubectl(['get', '--raw', `/backplane/cluster/${SEED.demo.id}/audit`], u.env)
    expect(JSON.parse(served.stdout).items.at(-1).reasons).to.deep.equal(['OHSS-1234 create a namespace'])

    // Real kubectl sees the new namespace; label and delete work through elevate too.
    expect((await kubectl(['get', 'ns', 'elevate-test-a', '-o', 'name'], u.env)).stdout).to.equal('namespace/elevate-test-a\n')
    expect((await backplane(['elevate', '-n', '--', 'label', 'ns', 'elevate-test-a', 'team=sre'], u.env)).stdout).to.equal('namespace/elevate-test-a labeled\n')
    expect((await kubectl(['get', 'ns', '-l', 'team=sre', '-o', 'name'], u.env)).stdout).to.equal('namespace/elevate-test-a\n')
    expect((await backplane(['elevate', '-n', '--', 'delete', 'ns', 'elevate-test-a'], u.env)).stdout).to.equal('namespace "elevate-test-a" deleted\n')
    expect((await kubectl(['get', 'ns', 'elevate-test-a'], u.env)).stderr).to.equal('Error from server (NotFound): namespaces "elevate-test-a" not found\n')

    // The user's file: the same entries, the current context only gained the ElevateContext extension.
    const after = parse(readFileSync(u.kubeconfig, 'utf8'))
    const ctx = after.contexts.find((c: {name: string}) => c.name === CONTEXT).context
    expect(ctx.extensions).to.have.length(1)
    expect(ctx.extensions[0].name).to.equal('ElevateContext')
    expect(ctx.extensions[0].extension.reasons).to.deep.equal(['OHSS-1234 create a namespace'])
    delete ctx.extensions
    expect(after).to.deep.equal(parse(before))
    expect(elevateTemps()).to.deep.equal([])
  })

  it('secrets need elevation to be read; configmaps are created, read and listed with the reason', async () => {
    const u = await loggedIn()
    const denied = await kubectl(['get', 'secrets', '-n', 'demo-app'], u.env)
    expect(denied.stderr).to.equal('Error from server (Forbidden): secrets is forbidden: User "sre-demo" cannot list resource "secrets" in API group "" in the namespace "demo-app"\n')
    const env = {...u.env, BACKPLANE_ELEVATE_REASON: 'INC-7 look at secrets'}
    expect((await backplane(['elevate', '--', 'get', 'secrets', '-n', 'demo-app'], env)).stderr).to.equal('No resources found in demo-app namespace.\n')
    const made = await backplane(['elevate', '--', 'create', 'configmap', 'cfg', '-n', 'demo-app', '--from-literal=greeting=it\'s "quoted" here'], env)
    expect(made.stdout, made.stderr).to.equal('configmap/cfg created\n')
    expect((await kubectl(['get', 'configmap', 'cfg', '-n', 'demo-app', '-o', 'jsonpath={.data.greeting}'], u.env)).stdout).to.equal('it\'s "quoted" here')
    expect(s.sim.audit.at(-1)!.reasons).to.deep.equal(['INC-7 look at secrets'])
    expect((await backplane(['elevate', '--', 'delete', 'configmap', 'cfg', '-n', 'demo-app'], env)).code).to.equal(0)
  })

  it('passes the command\'s argv intact (quotes, spaces, --, jsonpath) with a private temporary kubeconfig, and its exit status', async () => {
    const u = await loggedIn()
    const out = join(u.home, 'oc-out')
    const env = {...u.env, BACKPLANE_OC: fakeOc(u.home), FAKE_EXIT: '7', FAKE_OC_OUT: out}
    const argv = ['get', 'pods', '-o', "jsonpath='{.items[*].metadata.name}'", 'a b', '', '--', '$HOME', '"x"', "it's", '-n']
    const r = await backplane(['elevate', 'why not', '--', ...argv], env)
    expect(r.code, r.stderr).to.equal(7)
    expect(r.stderr).to.equal('')
    expect(readFileSync(`${out}.argv`, 'utf8').split('\0').slice(0, -1)).to.deep.equal(argv)
    const tempPath = readFileSync(`${out}.kubeconfig`, 'utf8')
    expect(tempPath).to.match(/\/backplane-elevate-[^/]+\/config$/)
    expect(tempPath).not.to.equal(u.kubeconfig)
    expect(readFileSync(`${out}.mode`, 'utf8').trim()).to.equal('700')
    expect(existsSync(tempPath)).to.equal(false)
    // The copy: only the current context, its cluster and its user, impersonating with the reason.
    const copy = parse(readFileSync(`${out}.config`, 'utf8'))
    const mine = parse(readFileSync(u.kubeconfig, 'utf8'))
    expect(copy['current-context']).to.equal(CONTEXT)
    expect(copy.contexts).to.deep.equal([{context: {cluster: 'demo-cluster', namespace: 'default', user: 'backplane-sre-demo'}, name: CONTEXT}])
    expect(copy.clusters).to.deep.equal(mine.clusters.filter((c: {name: string}) => c.name === 'demo-cluster'))
    const user = mine.users.find((x: {name: string}) => x.name === 'backplane-sre-demo')
    expect(copy.users).to.deep.equal([{name: 'backplane-sre-demo', user: {...user.user, as: ELEVATED_USER, 'as-user-extra': {reason: ['why not']}}}])
    // Failure of real kubectl is passed through as well.
    const failed = await backplane(['elevate', '-n', '--', 'get', 'namespace', 'no-such-namespace'], u.env)
    expect(failed.code).to.equal(1)
    expect(failed.stderr).to.equal('Error from server (NotFound): namespaces "no-such-namespace" not found\n')
  })

  it('caches reasons for 20 minutes: recorded alone, reused with -n, new ones appended; an expired cache needs a new reason', async () => {
    const u = await loggedIn()
    const rec = await backplane(['elevate', 'OHSS-1'], u.env)
    expect(rec.code, rec.stderr).to.equal(0)
    expect(rec.stdout).to.equal('')
    expect(rec.stderr).to.equal(`Elevation reason for ${CONTEXT}: OHSS-1 (valid 20 minutes; 'backplane elevate -n -- <command>' uses it)\n`)
    const from = s.sim.audit.length
    expect((await backplane(['elevate', '-n', '--', 'get', 'secrets', '-n', 'default'], u.env)).code).to.equal(0)
    expect(s.sim.audit.at(-1)!.reasons).to.deep.equal(['OHSS-1'])
    expect((await backplane(['elevate', 'second reason', '--', 'get', 'secrets', '-n', 'default'], u.env)).code).to.equal(0)
    expect(s.sim.audit.at(-1)!.reasons).to.deep.equal(['OHSS-1', 'second reason'])
    expect((await backplane(['elevate', 'OHSS-1', '--', 'get', 'secrets', '-n', 'default'], u.env)).code).to.equal(0)
    expect(s.sim.audit.at(-1)!.reasons).to.deep.equal(['OHSS-1', 'second reason'])
    expect(s.sim.audit.length).to.be.greaterThan(from)

    const status = await backplane(['status'], u.env)
    expect(status.stdout.split('\n')[4]).to.equal('Elevation: "OHSS-1", "second reason" (20 minutes left)')
    expect(JSON.parse((await backplane(['status', '--json'], u.env)).stdout).elevation).to.deep.equal({minutesLeft: 20, reasons: ['OHSS-1', 'second reason']})

    // 21 minutes later (the cache written as the Go tool would have, last used then).
    const config = parse(readFileSync(u.kubeconfig, 'utf8'))
    const ctx = config.contexts.find((c: {name: string}) => c.name === CONTEXT).context
    ctx.extensions[0].extension.lastUsed = new Date(Date.now() - 21 * 60_000).toISOString()
    writeFileSync(u.kubeconfig, stringify(config))
    expect((await backplane(['status'], u.env)).stdout.split('\n')).to.have.length(5)
    const expired = await backplane(['elevate', '-n', '--', 'get', 'secrets'], u.env)
    expectOneErrorLine(
      expired,
      2,
      `Error: no elevation reason given, and none cached for context "${CONTEXT}" in the last 20 minutes — give one: 'backplane elevate "<reason>" -- <command>', or set BACKPLANE_ELEVATE_REASON; -n/--no-reason uses a cached reason`,
    )
    // 15 minutes ago: still valid, 5 minutes left, and using it refreshes lastUsed.
    ctx.extensions[0].extension.lastUsed = new Date(Date.now() - 15 * 60_000).toISOString()
    writeFileSync(u.kubeconfig, stringify(config))
    expect((await backplane(['status'], u.env)).stdout).to.include('Elevation: "OHSS-1", "second reason" (5 minutes left)')
    expect((await backplane(['elevate', '-n', '--', 'get', 'secrets', '-n', 'default'], u.env)).code).to.equal(0)
    expect((await backplane(['status'], u.env)).stdout).to.include('(20 minutes left)')
  })

  it('without a terminal and without a reason it is one clear error, and nothing runs', async () => {
    const u = await loggedIn()
    const out = join(u.home, 'oc-out')
    const r = await backplane(['elevate', '--', 'get', 'nodes'], {...u.env, BACKPLANE_OC: fakeOc(u.home), FAKE_OC_OUT: out})
    expectOneErrorLine(r, 2, /^Error: no elevation reason given, and none cached for context ".*" in the last 20 minutes — .*BACKPLANE_ELEVATE_REASON/)
    expect(existsSync(`${out}.argv`)).to.equal(false)
    // An empty or blank reason is not a reason.
    expectOneErrorLine(await backplane(['elevate', '  ', '--', 'get', 'nodes'], {...u.env, BACKPLANE_ELEVATE_REASON: ''}), 2, /^Error: no elevation reason given/)
    expectOneErrorLine(await backplane(['elevate', 'two\nlines'], u.env), 2, 'Error: an elevation reason cannot hold control characters or line breaks — give the reason on one line')
    expectOneErrorLine(await backplane(['elevate', 'x', '--'], u.env), 2, /^Error: nothing to run after -- — /)
  })

  it('refuses a current context that is not a backplane one, and leaves the file alone', async () => {
    const u = home()
    writeFileSync(u.kubeconfig, fixture)
    const r = await backplane(['elevate', 'why', '--', 'get', 'nodes'], u.env)
    expectOneErrorLine(
      r,
      1,
      'Error: current context "kind-dev" is not a backplane context (its server is https://127.0.0.1:6443) — elevate works on a backplane context: log in with \'backplane login <cluster>\' first',
    )
    expect(readFileSync(u.kubeconfig, 'utf8')).to.equal(fixture)
  })

  it('impersonating backplane-cluster-admin without a reason is refused by the cluster', async () => {
    const u = await loggedIn()
    const r = await kubectl(['--as', ELEVATED_USER, 'get', '--raw', `/backplane/cluster/${SEED.demo.id}/api/v1/namespaces/default/secrets`], u.env)
    expect(r.code).to.equal(1)
    expect(r.stderr).to.match(/^Error from server \(Forbidden\): users "backplane-cluster-admin" is forbidden: User "sre-demo" cannot impersonate .* without a reason/)
  })

  it('asks for a reason on a terminal, and uses it', async () => {
    const u = await loggedIn()
    let typed = false
    const r = await inTerminal(u.env, ['elevate', '--', 'get', 'secrets', '-n', 'default'], (out, type) => {
      if (!typed && out.includes('Reason for elevating')) {
        typed = true
        type('OHSS-77 typed at the prompt\r')
      }
    })
    expect(r.code, r.out).to.equal(0)
    expect(r.out).to.include('No resources found in default namespace.')
    expect(s.sim.audit.at(-1)!.reasons).to.deep.equal(['OHSS-77 typed at the prompt'])
  })

  it('Ctrl-C on the terminal during the child, or SIGTERM, leaves no temporary kubeconfig', async () => {
    const u = await loggedIn()
    const out = join(u.home, 'oc-out')
    const env = {BACKPLANE_OC: fakeOc(u.home), FAKE_OC_OUT: out, FAKE_SLEEP: '30'}
    const started = Date.now()
    let polling = false
    const r = await inTerminal({...u.env, ...env}, ['elevate', 'ctrl-c test', '--', 'get', 'nodes'], (_out, type) => {
      if (polling) return
      polling = true
      // Ctrl-C once the child runs: the terminal sends SIGINT to the whole foreground process group.
      const poll = setInterval(() => {
        if (!existsSync(`${out}.started`)) return
        clearInterval(poll)
        type('\u0003')
      }, 50)
    })
    expect(Date.now() - started).to.be.lessThan(20_000)
    expect(r.code).to.equal(130)
    const temp = readFileSync(`${out}.kubeconfig`, 'utf8')
    expect(existsSync(temp)).to.equal(false)

    rmSync(`${out}.started`)
    const child = spawn(process.execPath, [RUN, 'elevate', 'sigterm test', '--', 'get', 'nodes'], {env: {...u.env, ...env}, stdio: 'ignore'})
    const code = await new Promise<null | number>((resolve) => {
      const poll = setInterval(() => {
        if (!existsSync(`${out}.started`)) return
        clearInterval(poll)
        child.kill('SIGTERM')
      }, 50)
      child.on('close', (c) => resolve(c))
    })
    expect(code).to.equal(143)
    expect(existsSync(readFileSync(`${out}.kubeconfig`, 'utf8'))).to.equal(false)
    expect(elevateTemps()).to.deep.equal([])
  })
})
