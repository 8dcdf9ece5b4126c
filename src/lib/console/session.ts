// `backplane console`: run the cluster's own web console locally in containers, pointed at the backplane
// proxy. start() checks everything cheap first (context, engine, port), then reads the cluster, fetches
// the pull secret, pulls and starts the containers; cleanup() stops and removes every container it started.
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Services} from '../services.js'

import {writeFileAtomic} from '../fs/atomic.js'
import {currentBackplaneCluster} from '../kube/current-cluster.js'
import {clusterVersion} from '../ocm/clusters.js'
import {ClusterObjects} from './cluster-objects.js'
import {
  BEARER_TOKEN_ENV,
  type BridgeOptions,
  bridgeArgs,
  bridgePlugins,
  brandingFor,
  type ClusterPlugin,
  consoleContainerName,
  consoleRunArgs,
  type EnvVar,
  MONITORING_PLUGIN_DEFAULT_PORT,
  monitoringPluginContainerName,
  monitoringPluginNginxConf,
  monitoringPluginRunArgs,
  monitoringPluginWithoutNginx,
  needsMonitoringPlugin,
  type PullAuth,
  pullArgs,
} from './command-lines.js'
import {Engine, type EngineName, resolveEngine} from './engine.js'
import {assertPortFree, freePort, LOCAL_HOST} from './port.js'
import {ensurePullSecret} from './pull-secret.js'
import {sleep} from '../process/sleep.js'

export interface ConsoleOptions {
  engine?: string
  env: NodeJS.ProcessEnv
  home: string
  image?: string
  note: (line: string) => void
  plugins: boolean
  port?: number
  /** Ctrl-C / SIGTERM during start-up: the engine command running is killed, start() rejects. */
  signal: AbortSignal
  trace?: (line: string) => void
  warn: (line: string) => void
}

export interface StartedConsole {
  clusterId: string
  containers: string[]
  engine: EngineName
  image: string
  monitoringPluginImage?: string
  port: number
  url: string
}

const PULL_TIMEOUT_MS = 15 * 60_000
const RUN_TIMEOUT_MS = 2 * 60_000

export class ConsoleRun {
  /** Names of the containers this run asked the engine to start, in order. */
  readonly started: string[] = []
  private engineInfo?: {name: EngineName; path: string}

  constructor(private readonly services: Services, private readonly o: ConsoleOptions) {}

  async start(): Promise<StartedConsole> {
    const {o} = this
    const current = currentBackplaneCluster(await this.services.kubeconfig())
    const {clusterId} = current
    this.engineInfo = await resolveEngine(o.engine, o.env)
    const engine = new Engine(this.engineInfo.name, this.engineInfo.path, {env: o.env, signal: o.signal, trace: o.trace})
    let port: number
    if (o.port === undefined) {
      port = await freePort()
    } else {
      await assertPortFree(o.port)
      port = o.port
    }

    const cluster = await this.services.clusters.get(clusterId)
    const version = clusterVersion(cluster)
    const token = await this.services.ocm.accessToken()
    const proxy = current.proxyUrl ?? (await this.services.proxy(new URL(current.server).origin))

    const objects = o.image && !needsMonitoringPlugin(version) && !o.plugins ? undefined : await ClusterObjects.forContext(current.context, clusterId)
    const image = o.image ?? (await objects!.deploymentImage('openshift-console', 'console', 'console', 'pass the console image with --image'))
    let pluginImage: string | undefined
    if (needsMonitoringPlugin(version)) {
      try {
        pluginImage = await objects!.deploymentImage('openshift-monitoring', 'monitoring-plugin', 'monitoring-plugin', 'the console runs without it')
      } catch (error) {
        o.warn(`${(error as Error).message}: the console runs without the monitoring plugin`)
      }
    }

    const clusterPlugins: ClusterPlugin[] = o.plugins ? await objects!.enabledPlugins() : []
    o.note(`Using ${engine.name} and image ${image}`)
    const auth = await ensurePullSecret(this.services.ocm, o.home, engine.name)
    await this.pull(engine, image, auth)
    if (pluginImage) await this.pull(engine, pluginImage, auth)

    const consoleName = consoleContainerName(clusterId)
    const pluginName = monitoringPluginContainerName(clusterId)
    for (const name of [pluginName, consoleName]) {
      if (await engine.stopAndRemove(name)) o.note(`Stopped the old container ${name}`)
    }

    const pluginPort = pluginImage ? (monitoringPluginWithoutNginx(version) ? MONITORING_PLUGIN_DEFAULT_PORT : await freePort()) : undefined
    const plugins = bridgePlugins(clusterPlugins, pluginPort)
    const env: EnvVar[] = []
    if (proxy) env.push({name: 'HTTPS_PROXY', value: proxy})
    if (plugins) env.push({name: 'BRIDGE_PLUGINS', value: plugins})
    env.push({name: BEARER_TOKEN_ENV})
    const bridge: BridgeOptions = {...brandingFor(cluster.product?.id, version), port, server: current.server}
    await this.run(engine, consoleName, consoleRunArgs(engine.name, {auth, bridge: bridgeArgs(bridge), env, image, name: consoleName, port}), {
      [BEARER_TOKEN_ENV]: token,
    })

    if (pluginImage && pluginPort !== undefined) {
      const nginxConf = join(tmpdir(), 'backplane', `monitoring-plugin-nginx-${clusterId}.conf`)
      await writeFileAtomic(nginxConf, monitoringPluginNginxConf(pluginPort), 0o644)
      const pluginEnv: EnvVar[] = monitoringPluginWithoutNginx(version) ? [{name: 'PORT', value: String(pluginPort)}] : []
      await this.run(engine, pluginName, monitoringPluginRunArgs(engine.name, {auth, consoleName, env: pluginEnv, image: pluginImage, name: pluginName, nginxConf}))
    }

    return {
      clusterId,
      containers: [...this.started],
      engine: engine.name,
      image,
      ...(pluginImage ? {monitoringPluginImage: pluginImage} : {}),
      port,
      url: `http://${LOCAL_HOST}:${port}`,
    }
  }

  /**
   * While the console runs, check every `intervalMs` that its containers still do (`run --detach` succeeds even
   * when the bridge exits a second later). Resolves with the first container found stopped, or undefined once
   * `signal` fires.
   */
  async watch(signal: AbortSignal, intervalMs: number): Promise<string | undefined> {
    if (!this.engineInfo) return undefined
    const engine = new Engine(this.engineInfo.name, this.engineInfo.path, {env: this.o.env, trace: this.o.trace})
    while (!signal.aborted) {
      await sleep(intervalMs, signal)
      if (signal.aborted) return undefined
      for (const name of this.started) {
        if (!(await engine.running(name)) && !signal.aborted) return name
      }
    }

    return undefined
  }

  /** Stop and remove the containers this run started (the monitoring plugin first); returns the ones removed. */
  async cleanup(): Promise<{errors: string[]; removed: string[]}> {
    const removed: string[] = []
    const errors: string[] = []
    if (!this.engineInfo || this.started.length === 0) return {errors, removed}
    // A fresh engine runner: the start-up one is bound to the (now aborted) signal.
    const engine = new Engine(this.engineInfo.name, this.engineInfo.path, {env: this.o.env, trace: this.o.trace})
    for (const name of [...this.started].reverse()) {
      try {
        if (await engine.stopAndRemove(name)) removed.push(name)
      } catch (error) {
        errors.push((error as Error).message)
      }
    }

    this.started.length = 0
    return {errors, removed}
  }

  private async pull(engine: Engine, image: string, auth: PullAuth): Promise<void> {
    this.o.note(`Pulling ${image}`)
    const r = await engine.exec(pullArgs(engine.name, image, auth), {timeoutMs: PULL_TIMEOUT_MS, what: 'pull'})
    if (r.code !== 0) {
      throw engine.failure(`could not pull ${image}`, r, `check the image, your network and the pull secret in ${auth.authFile} (delete it to fetch a new one)`)
    }
  }

  private async run(engine: Engine, name: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void> {
    this.o.note(`Starting ${name}`)
    this.started.push(name)
    const r = await engine.exec(args, {env, timeoutMs: RUN_TIMEOUT_MS, what: 'run'})
    if (r.code !== 0) throw engine.failure(`could not start ${name}`, r, `check the engine ('${engine.name} ps -a') and retry`)
  }
}

/** Poll <url>/health until it answers 2xx (or the time is up, or the signal fires). */
export async function waitForHealth(url: string, o: {intervalMs?: number; signal?: AbortSignal; timeoutMs?: number} = {}): Promise<boolean> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000)
  while (Date.now() < deadline && !o.signal?.aborted) {
    try {
      const response = await fetch(`${url}/health`, {signal: AbortSignal.timeout(2000)})
      await response.body?.cancel()
      if (response.ok) return true
    } catch {
      // not up yet
    }

    await sleep(o.intervalMs ?? 500, o.signal)
  }

  return false
}
