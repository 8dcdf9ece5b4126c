import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {SEED} from '../../src/simulator/index.js'
import {consoleImage, monitoringPluginImage} from '../../src/simulator/kube-console.js'
import {backplane, RUN, type RunResult, transcript, userHome, type UserHome} from '../support/cli.js'
import {fakeBrowser, fakeEngine, type FakeEngine, systemPath} from '../support/fake-engine.js'
import {useSimulator} from '../support/sim.js'
import {expectOneErrorLine} from '../support/expect.js'

interface Running {
  done: Promise<RunResult>
  kill(signal: NodeJS.Signals): void
  stderr(): string
  /** Resolves with the match once stdout matches. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>
}

/** `backplane console …` in the background, as a user runs it in a terminal tab. */
function startConsole(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [RUN, 'console', ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => {
      transcript.push({args: ['console', ...args], stderr, stdout})
      resolve({code, signal, stderr, stdout})
    })
  })
  return {
    done,
    kill: (signal) => child.kill(signal),
    stderr: () => stderr,
    async waitFor(re) {
      const deadline = Date.now() + 30_000
      while (Date.now() < deadline) {
        const m = re.exec(stdout)
        if (m) return m
        if (child.exitCode !== null) throw new Error(`console exited ${child.exitCode}: ${stderr}`)
        await new Promise((r) => setTimeout(r, 50))
      }

      throw new Error(`timed out waiting for ${re}; stderr: ${stderr}`)
    },
  }
}

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = probe()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 50))
  }

  throw new Error('timed out')
}

function accessToken(u: UserHome): string {
  return JSON.parse(readFileSync(u.ocmConfig, 'utf8')).access_token
}

describe('console', function () {
  this.timeout(60_000)
  const s = useSimulator()
  const engines: FakeEngine[] = []
  afterEach(() => {
    for (const e of engines.splice(0)) e.dispose()
  })

  /** A logged-in HOME (current backplane context on `cluster`) and a fake engine on PATH. */
  async function setup(cluster: string = SEED.demo.name, engineNames: Array<'docker' | 'podman'> = ['podman', 'docker'], extra: Record<string, string> = {}) {
    const engine = fakeEngine(engineNames)
    engines.push(engine)
    const u = userHome(s.sim, {...engine.env, ...extra})
    const login = await backplane(['login', cluster], u.env)
    expect(login.code, login.stderr).to.equal(0)
    return {engine, u}
  }

  it('runs the console and the monitoring plugin in podman with the bridge flags, and cleans up on SIGTERM', async () => {
    const {engine, u} = await setup()
    const id = SEED.demo.id
    const demo = s.sim.clusters.find((c) => c.id === id)!
    const before = s.sim.requests.length
    const run = startConsole([], u.env)
    const [, portText] = await run.waitFor(/^Console is available at http:\/\/127\.0\.0\.1:(\d+)\n$/)
    const port = Number(portText)

    // The "console" (the fake engine's container) answers on the published port.
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    expect(await health.text()).to.equal('ok')

    const authFile = join(u.home, '.kube', 'backplane-pull-secret.json')
    expect(statSync(authFile).mode & 0o777).to.equal(0o600)
    expect(Object.keys(JSON.parse(readFileSync(authFile, 'utf8')).auths)).to.include('quay.io')
    expect(s.sim.requests.slice(before).filter((q) => q.method === 'POST' && q.path === '/api/accounts_mgmt/v1/access_token')).to.have.length(1)

    const calls = engine.calls()
    expect(calls.every((c) => c.engine === 'podman')).to.equal(true)
    const consoleRun = calls.find((c) => c.args[0] === 'run' && c.args.includes(`console-${id}`))!
    const pluginPort = Number(/monitoring-plugin=http:\/\/127\.0\.0\.1:(\d+)/.exec(consoleRun.args.join(' '))![1])
    const server = `${s.sim.backplaneUrl}/backplane/cluster/${id}/`
    const nginxConf = join(tmpdir(), 'backplane', `monitoring-plugin-nginx-${id}.conf`)
    expect(calls.map((c) => c.args)).to.deep.equal([
      ['pull', '--quiet', '--authfile', authFile, '--platform=linux/amd64', consoleImage(demo)],
      ['pull', '--quiet', '--authfile', authFile, '--platform=linux/amd64', monitoringPluginImage(demo)],
      ['ps', '-a', '--filter', `name=monitoring-plugin-${id}`, '--format', '{{.Names}}'],
      ['ps', '-a', '--filter', `name=console-${id}`, '--format', '{{.Names}}'],
      [
        'run', '--authfile', authFile, '--platform=linux/amd64', '--rm', '--detach', '--name', `console-${id}`,
        '--publish', `127.0.0.1:${port}:${port}`,
        '--env', `BRIDGE_PLUGINS=monitoring-plugin=http://127.0.0.1:${pluginPort}`,
        '--env', 'BRIDGE_K8S_AUTH_BEARER_TOKEN',
        consoleImage(demo),
        '/opt/bridge/bin/bridge', '--public-dir=/opt/bridge/static',
        '-base-address', `http://127.0.0.1:${port}`,
        '-branding', 'rosa',
        '-documentation-base-url', 'https://docs.openshift.com/rosa/',
        '-user-settings-location', 'localstorage',
        '-user-auth', 'disabled',
        '-k8s-mode', 'off-cluster',
        '-k8s-auth', 'bearer-token',
        '-k8s-mode-off-cluster-endpoint', server,
        '-k8s-mode-off-cluster-alertmanager', `${s.sim.backplaneUrl}/backplane/alertmanager/${id}`,
        '-k8s-mode-off-cluster-thanos', `${s.sim.backplaneUrl}/backplane/thanos/${id}`,
        '-listen', `http://0.0.0.0:${port}`,
      ],
      [
        'run', '--authfile', authFile, '--platform=linux/amd64', '--rm', '--detach', '--name', `monitoring-plugin-${id}`,
        '--network', `container:console-${id}`,
        '--mount', `type=bind,source=${nginxConf},destination=/etc/nginx/nginx.conf,relabel=shared`,
        monitoringPluginImage(demo),
      ],
    ])
    // The bearer token reaches the bridge through the environment, never the command line.
    expect(consoleRun.tokenEnv).to.equal(accessToken(u))
    expect(calls.some((c) => c.args.some((a) => a.includes(accessToken(u))))).to.equal(false)
    expect(readFileSync(nginxConf, 'utf8')).to.include(`listen              ${pluginPort};`)
    expect(engine.containers().sort()).to.deep.equal([`console-${id}`, `monitoring-plugin-${id}`])

    run.kill('SIGTERM')
    const r = await run.done
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.include('Received SIGTERM: stopping the console')
    expect(r.stderr).to.include(`Stopped and removed container monitoring-plugin-${id}\nStopped and removed container console-${id}\n`)
    expect(engine.containers()).to.deep.equal([])
    expect(engine.calls().slice(calls.length).map((c) => c.args.slice(0, 2).join(' '))).to.deep.equal([
      'ps -a', 'container stop', 'ps -a', 'ps -a', 'container stop', 'ps -a',
    ])
    // The fake console is gone with its container.
    let gone = false
    for (let i = 0; i < 50 && !gone; i++) {
      gone = await fetch(`http://127.0.0.1:${port}/health`).then(() => false, () => true)
      if (!gone) await new Promise((r) => setTimeout(r, 100))
    }

    expect(gone).to.equal(true)
  })

  it('a console container that stops on its own (the bridge exits after `run --detach`) is exit 1, and the rest is removed', async () => {
    const {engine, u} = await setup(SEED.demo.name, ['podman'], {BACKPLANE_CONSOLE_WATCH_INTERVAL: '0.2'})
    const id = SEED.demo.id
    const run = startConsole([], u.env)
    await run.waitFor(/^Console is available at /)
    await until(() => (engine.inspections().includes(`console-${id}`) ? true : undefined))
    // What `--rm` does when the bridge exits: the container and its process are gone.
    const state = join(engine.state, `console-${id}.json`)
    const {pid} = JSON.parse(readFileSync(state, 'utf8'))
    process.kill(pid, 'SIGTERM')
    rmSync(state)
    const r = await run.done
    expectOneErrorLine(r, 1, new RegExp(`^Error: container console-${id} stopped unexpectedly — run 'backplane console --verbose' again`), {progressOnStderr: true, stdoutAllowed: true})
    expect(r.stderr).to.include(`Stopped and removed container monitoring-plugin-${id}`)
    expect(engine.containers()).to.deep.equal([])
  })

  it('keeps an existing pull secret, stops an old console-<id> first, and honours --port and --image (SIGINT)', async () => {
    const {engine, u} = await setup()
    const id = SEED.demo.id
    const authFile = join(u.home, '.kube', 'backplane-pull-secret.json')
    const mine = '{"auths":{"quay.io":{"auth":"bWluZTptaW5l"}}}\n'
    writeFileSync(authFile, mine, {mode: 0o600})
    engine.seed(`console-${id}`) // left over from an earlier run, not --rm
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as {port: number}).port
        srv.close(() => resolve(p))
      })
    })
    const before = s.sim.requests.length
    const run = startConsole(['--port', String(port), '--image', 'quay.io/openshift/origin-console:latest'], u.env)
    await run.waitFor(new RegExp(`^Console is available at http://127\\.0\\.0\\.1:${port}\\n$`))
    expect(readFileSync(authFile, 'utf8')).to.equal(mine)
    expect(s.sim.requests.slice(before).some((q) => q.path === '/api/accounts_mgmt/v1/access_token')).to.equal(false)
    // --image: the console Deployment is not read (the monitoring plugin's still is, for 4.15).
    expect(s.sim.requests.slice(before).some((q) => q.path.endsWith('/deployments/console'))).to.equal(false)
    const calls = engine.calls().map((c) => c.args)
    expect(calls[0]).to.deep.equal(['pull', '--quiet', '--authfile', authFile, '--platform=linux/amd64', 'quay.io/openshift/origin-console:latest'])
    expect(calls.slice(2, 7).map((a) => a.slice(0, 3).join(' '))).to.deep.equal([
      `ps -a --filter`, // monitoring-plugin-<id>: none
      `ps -a --filter`, // console-<id>: the old one
      `container stop console-${id}`,
      `ps -a --filter`, // still there (not --rm)
      `container rm --force`,
    ])
    const consoleRun = calls.find((a) => a[0] === 'run' && a.includes(`console-${id}`))!
    expect(consoleRun).to.include.members(['--publish', `127.0.0.1:${port}:${port}`, 'quay.io/openshift/origin-console:latest', `http://0.0.0.0:${port}`])

    run.kill('SIGINT')
    const r = await run.done
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.include('Received SIGINT').and.include(`Stopped and removed container console-${id}`)
    expect(engine.containers()).to.deep.equal([])
  })

  it('docker: --config directory, host network, HTTPS_PROXY, dedicated branding, --plugins; -c beats CONTAINER_ENGINE', async () => {
    const proxy = 'http://squid.corp.example:3128'
    const {engine, u} = await setup(SEED.gcp.name, ['podman', 'docker'], {CONTAINER_ENGINE: 'podman'})
    const id = SEED.gcp.id
    const gcp = s.sim.clusters.find((c) => c.id === id)!
    // The proxy the user has (OCM on 127.0.0.1 is reached directly: NO_PROXY) goes to the bridge as HTTPS_PROXY.
    const run = startConsole(['-c', 'docker', '--plugins'], {...u.env, HTTPS_PROXY: proxy, NO_PROXY: '127.0.0.1'})
    const [, portText] = await run.waitFor(/Console is available at http:\/\/127\.0\.0\.1:(\d+)\n/)
    const port = Number(portText)
    const configDir = join(u.home, '.kube', 'backplane-docker-config')
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).to.equal(0o600)
    expect(statSync(join(u.home, '.kube', 'backplane-pull-secret.json')).mode & 0o777).to.equal(0o600)
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).to.equal(readFileSync(join(u.home, '.kube', 'backplane-pull-secret.json'), 'utf8'))
    const calls = engine.calls()
    expect(calls.every((c) => c.engine === 'docker')).to.equal(true)
    // OpenShift 4.13: no monitoring plugin container.
    expect(calls.map((c) => c.args)).to.deep.equal([
      ['--config', configDir, 'pull', '--quiet', '--platform=linux/amd64', consoleImage(gcp)],
      ['ps', '-a', '--filter', `name=monitoring-plugin-${id}`, '--format', '{{.Names}}'],
      ['ps', '-a', '--filter', `name=console-${id}`, '--format', '{{.Names}}'],
      [
        '--config', configDir, 'run', '--platform=linux/amd64', '--rm', '--detach', '--name', `console-${id}`,
        '--publish', `127.0.0.1:${port}:${port}`, '--network', 'host',
        '--env', `HTTPS_PROXY=${proxy}`,
        '--env', 'BRIDGE_PLUGINS=networking-console-plugin=https://networking-console-plugin.openshift-network-console.svc.cluster.local:9443/',
        '--env', 'BRIDGE_K8S_AUTH_BEARER_TOKEN',
        consoleImage(gcp),
        '/opt/bridge/bin/bridge', '--public-dir=/opt/bridge/static',
        '-base-address', `http://127.0.0.1:${port}`,
        '-branding', 'dedicated',
        '-documentation-base-url', 'https://docs.openshift.com/dedicated/4/',
        '-user-settings-location', 'localstorage',
        '-user-auth', 'disabled',
        '-k8s-mode', 'off-cluster',
        '-k8s-auth', 'bearer-token',
        '-k8s-mode-off-cluster-endpoint', `${s.sim.backplaneUrl}/backplane/cluster/${id}/`,
        '-k8s-mode-off-cluster-alertmanager', `${s.sim.backplaneUrl}/backplane/alertmanager/${id}`,
        '-k8s-mode-off-cluster-thanos', `${s.sim.backplaneUrl}/backplane/thanos/${id}`,
        '-listen', `http://0.0.0.0:${port}`,
      ],
    ])
    expect(calls[3]!.tokenEnv).to.equal(accessToken(u))
    run.kill('SIGTERM')
    expect((await run.done).code).to.equal(0)
    expect(engine.containers()).to.deep.equal([])
  })

  it('CONTAINER_ENGINE picks the engine; without it the first of podman, docker on PATH', async () => {
    const {engine, u} = await setup(SEED.gcp.name, ['docker'])
    for (const env of [{...u.env, CONTAINER_ENGINE: 'Docker'}, u.env]) {
      const run = startConsole(['--image', 'quay.io/openshift/origin-console:latest'], env)
      await run.waitFor(/Console is available/)
      run.kill('SIGTERM')
      expect((await run.done).code).to.equal(0)
    }

    expect(new Set(engine.calls().map((c) => c.engine))).to.deep.equal(new Set(['docker']))
    expect(engine.containers()).to.deep.equal([])
  })

  it('-b (or BACKPLANE_DEFAULT_OPEN_BROWSER) waits for /health, then opens the console', async () => {
    const browser = fakeBrowser()
    const {engine, u} = await setup(SEED.demo.name, ['podman'], {...browser.env, BACKPLANE_DEFAULT_OPEN_BROWSER: 'TRUE'})
    const run = startConsole([], u.env)
    const [, url] = await run.waitFor(/Console is available at (\S+)\n/)
    const opened = await until(() => (browser.opened().length > 0 ? browser.opened() : undefined))
    expect(opened).to.deep.equal([url])
    run.kill('SIGTERM')
    expect((await run.done).code).to.equal(0)
    expect(engine.containers()).to.deep.equal([])
  })

  it('-u: a console URL pasted from PagerDuty (https:///…) is printed and opened on the local console, path and query kept', async () => {
    const browser = fakeBrowser()
    const {engine, u} = await setup(SEED.demo.name, ['podman'], browser.env)
    const pasted = 'https:///console-openshift-console.apps.demo.example.com/monitoring/alerts?alertname=KubePodCrashLooping&namespace=openshift-dns#top'
    const run = startConsole(['-b', '-u', pasted], u.env)
    const [, port] = await run.waitFor(/Console is available at http:\/\/127\.0\.0\.1:(\d+)\/monitoring\/alerts\?alertname=KubePodCrashLooping&namespace=openshift-dns#top\n/)
    const opened = await until(() => (browser.opened().length > 0 ? browser.opened() : undefined))
    expect(opened).to.deep.equal([`http://127.0.0.1:${port}/monitoring/alerts?alertname=KubePodCrashLooping&namespace=openshift-dns#top`])
    // --url is the page, not the backplane URL: the console still talks to the simulator's backplane.
    const consoleRun = engine.calls().map((c) => c.args).find((a) => a[0] === 'run' && a.includes(`console-${SEED.demo.id}`))!
    expect(consoleRun.join(' ')).to.include(`${s.sim.backplaneUrl}/backplane/cluster/${SEED.demo.id}`)
    run.kill('SIGTERM')
    expect((await run.done).code).to.equal(0)
    rmSync(dirname(browser.env.BROWSER!), {force: true, recursive: true})
  })

  it('a browser that fails to open is a warning; the console keeps running', async () => {
    const browser = fakeBrowser({fail: true})
    const {engine, u} = await setup(SEED.demo.name, ['podman'], browser.env)
    const run = startConsole(['-b'], u.env)
    await run.waitFor(/Console is available at/)
    await until(() => (run.stderr().includes('Warning: could not open a browser') ? true : undefined))
    expect(engine.containers()).to.have.length(2)
    run.kill('SIGTERM')
    expect((await run.done).code).to.equal(0)
    expect(engine.containers()).to.deep.equal([])
  })

  describe('failures: one line, exit 1 or 2, nothing left running', () => {
    it('Ctrl-C during a pull stops the engine and exits at once (130), starting nothing', async () => {
      const {engine, u} = await setup(SEED.demo.name, ['podman'], {FAKE_ENGINE_SLOW: 'pull'})
      const run = startConsole([], u.env)
      await until(() => (engine.calls().some((c) => c.args[0] === 'pull') ? true : undefined), 30_000)
      const sent = Date.now()
      run.kill('SIGINT')
      const r = await run.done
      expect(Date.now() - sent).to.be.lessThan(5000)
      expectOneErrorLine(r, 130, /^Error: interrupted before the console started$/)
      expect(engine.calls().map((c) => c.args[0])).to.deep.equal(['pull'])
      expect(engine.containers()).to.deep.equal([])
    })

    it('a pull failure shows the engine\'s error and starts nothing', async () => {
      const {engine, u} = await setup(SEED.demo.name, ['podman'], {FAKE_ENGINE_FAIL: 'pull'})
      const r = await backplane(['console'], u.env)
      expectOneErrorLine(r, 1, /^Error: podman could not pull quay\.io\/\S+ \(exit 125\): initializing source docker:\/\/\S+: reading manifest .*: manifest unknown — check the image/)
      expect(engine.calls().map((c) => c.args[0])).to.deep.equal(['pull'])
      expect(engine.containers()).to.deep.equal([])
    })

    it('a container that fails to start: the engine\'s error, exit 1, and the console already started is removed', async () => {
      const {engine, u} = await setup(SEED.demo.name, ['podman'], {FAKE_ENGINE_FAIL: 'run:monitoring-plugin'})
      const id = SEED.demo.id
      const r = await backplane(['console'], u.env)
      expectOneErrorLine(
        r,
        1,
        new RegExp(`^Error: podman could not start monitoring-plugin-${id} \\(exit 127\\): crun: executable file .* not found .* \\(stopped and removed console-${id}\\) — check the engine`),
      )
      expect(engine.containers()).to.deep.equal([])
      expect(engine.calls().some((c) => c.args.join(' ') === `container stop console-${id}`)).to.equal(true)
    })

    it('the console container failing to start is exit 1 with the engine\'s error', async () => {
      const {engine, u} = await setup(SEED.gcp.name, ['docker'], {FAKE_ENGINE_FAIL: 'run'})
      const r = await backplane(['console'], u.env)
      expectOneErrorLine(r, 1, new RegExp(`^Error: docker could not start console-${SEED.gcp.id} \\(exit 127\\): crun: `))
      expect(engine.containers()).to.deep.equal([])
    })

    it('OCM failing to give the pull secret: exit 1, no file, no engine call', async () => {
      const {engine, u} = await setup()
      s.sim.setFault('POST /api/accounts_mgmt/v1/access_token', {status: 500, body: JSON.stringify({kind: 'Error', reason: 'accounts service unavailable'})})
      try {
        const r = await backplane(['console'], u.env)
        expectOneErrorLine(r, 1, /^Error: cannot get your pull secret from OCM: OCM answered 500 Internal Server Error: accounts service unavailable — /)
      } finally {
        s.sim.setFault('POST /api/accounts_mgmt/v1/access_token', undefined)
      }

      expect(existsSync(join(u.home, '.kube', 'backplane-pull-secret.json'))).to.equal(false)
      expect(engine.calls()).to.deep.equal([])
    })

    for (const status of [403, 404]) {
      it(`the console Deployment answering ${status}: exit 1, says to use --image`, async () => {
        const {engine, u} = await setup()
        const path = `/backplane/cluster/${SEED.demo.id}/apis/apps/v1/namespaces/openshift-console/deployments/console`
        const reason = status === 403 ? 'Forbidden' : 'NotFound'
        s.sim.setFault(`GET ${path}`, {status, body: JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code: status, message: 'no'})})
        try {
          const r = await backplane(['console'], u.env)
          const what = status === 403 ? 'you may not read Deployment openshift-console/console' : 'Deployment openshift-console/console not found'
          expectOneErrorLine(r, 1, new RegExp(`^Error: ${what} on cluster ${SEED.demo.id} — .*--image`))
        } finally {
          s.sim.setFault(`GET ${path}`, undefined)
        }

        expect(engine.calls()).to.deep.equal([])
      })
    }

    it('no current context, or a context that is not a backplane one', async () => {
      const engine = fakeEngine(['podman'])
      engines.push(engine)
      const u = userHome(s.sim, engine.env)
      expectOneErrorLine(await backplane(['console'], u.env), 1, /^Error: no current kubeconfig context — log in first with 'backplane login <cluster>'$/)
      writeFileSync(
        u.kubeconfig,
        'apiVersion: v1\nkind: Config\nclusters:\n- name: kind\n  cluster: {server: "https://127.0.0.1:6443"}\ncontexts:\n- name: kind-dev\n  context: {cluster: kind, user: me}\nusers:\n- name: me\n  user: {token: abc}\ncurrent-context: kind-dev\n',
      )
      expectOneErrorLine(await backplane(['console'], u.env), 1, /^Error: current context "kind-dev" is not a backplane context \(its server is https:\/\/127\.0\.0\.1:6443\) — /)
      expect(engine.calls()).to.deep.equal([])
    })

    it('an unknown engine name (flag or CONTAINER_ENGINE) is a usage error', async () => {
      const {engine, u} = await setup()
      expectOneErrorLine(await backplane(['console', '-c', 'rkt'], u.env), 2, /^Error: unknown container engine "rkt" \(--container-engine\) — use podman or docker$/)
      expectOneErrorLine(await backplane(['console'], {...u.env, CONTAINER_ENGINE: 'lxc'}), 2, /^Error: unknown container engine "lxc" \(CONTAINER_ENGINE\) — use podman or docker$/)
      expect(engine.calls()).to.deep.equal([])
    })

    it('no engine on PATH, or not the one asked for', async () => {
      const {engine, u} = await setup(SEED.demo.name, ['podman'])
      expectOneErrorLine(await backplane(['console'], {...u.env, PATH: systemPath()}), 1, /^Error: no container engine found: neither podman nor docker is on PATH — install podman or docker/)
      expectOneErrorLine(await backplane(['console', '-c', 'docker'], u.env), 1, /^Error: container engine docker \(--container-engine\) is not on PATH — install docker, or use podman with -c podman$/)
      expect(engine.calls()).to.deep.equal([])
    })

    it('a --port that is not a port number, or that is busy', async () => {
      const {engine, u} = await setup()
      for (const bad of ['abc', '80.5', '0', '70000', '-1']) {
        expectOneErrorLine(await backplane(['console', `--port=${bad}`], u.env), 2, new RegExp(`^Error: invalid --port "${bad.replace('.', '\\.')}" — give a port number from 1 to 65535$`))
      }

      const busy: Server = await new Promise((resolve) => {
        const srv = createServer().listen(0, '127.0.0.1', () => resolve(srv))
      })
      try {
        const port = (busy.address() as {port: number}).port
        expectOneErrorLine(await backplane(['console', '--port', String(port)], u.env), 1, new RegExp(`^Error: port ${port} on 127\\.0\\.0\\.1 is already in use — pick another --port`))
      } finally {
        busy.close()
      }

      expect(engine.calls()).to.deep.equal([])
    })

    it('a -u that is not an http(s) URL is a usage error, before any engine call', async () => {
      const {engine, u} = await setup()
      expectOneErrorLine(await backplane(['console', '-u', 'not a url'], u.env), 2, /^Error: invalid --url "not a url" — paste a whole http\(s\):\/\/ URL/)
      expectOneErrorLine(await backplane(['console', '--url', 'ftp://x/y'], u.env), 2, /^Error: invalid --url "ftp:\/\/x\/y"/)
      expect(engine.calls()).to.deep.equal([])
    })

    it('an unparsable BACKPLANE_DEFAULT_OPEN_BROWSER is a usage error', async () => {
      const {engine, u} = await setup()
      expectOneErrorLine(await backplane(['console'], {...u.env, BACKPLANE_DEFAULT_OPEN_BROWSER: 'maybe'}), 2, /^Error: invalid BACKPLANE_DEFAULT_OPEN_BROWSER "maybe" — set it to true or false \(or 1, 0, t, f, TRUE, FALSE\)$/)
      expect(engine.calls()).to.deep.equal([])
    })
  })
})
