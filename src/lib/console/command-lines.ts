// The container engine command lines of `backplane console`, as pure functions (mirroring the bridge
// flags and engine arguments of the Go backplane-cli's `ocm backplane console`).
import type {EngineName} from './engine.js'

/** How the engine authenticates pulls: podman reads an auth file, docker a config directory. */
export interface PullAuth {
  /** podman: `--authfile <file>`. */
  authFile: string
  /** docker: `--config <dir>` (holding config.json). */
  configDir: string
}

/** `--env NAME=value`, or `--env NAME` (the engine passes its own value on: secrets stay off the command line). */
export interface EnvVar {
  name: string
  value?: string
}

export const PLATFORM = '--platform=linux/amd64'
/** The bridge reads every flag from BRIDGE_<FLAG> too: the token goes through the environment, never argv. */
export const BEARER_TOKEN_ENV = 'BRIDGE_K8S_AUTH_BEARER_TOKEN'
export const MONITORING_PLUGIN_DEFAULT_PORT = 9443

/** OpenShift "major.minor" at least the target ("4.15.3" ≥ [4, 14]). Unknown versions are not. */
export function versionAtLeast(version: string | undefined, [major, minor]: [number, number]): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '')
  if (!m) return false
  const [maj, min] = [Number(m[1]), Number(m[2])]
  return maj > major || (maj === major && min >= minor)
}

/** The console's branding and documentation: ROSA ≥ 4.14 is `rosa`, everything else `dedicated`. */
export function brandingFor(product: string | undefined, version: string | undefined): {branding: string; documentationUrl: string} {
  const rosa = product === 'rosa'
  return {
    branding: rosa && versionAtLeast(version, [4, 14]) ? 'rosa' : 'dedicated',
    documentationUrl: rosa ? 'https://docs.openshift.com/rosa/' : 'https://docs.openshift.com/dedicated/4/',
  }
}

/** The monitoring plugin runs beside the console from OpenShift 4.14; from 4.17 without nginx, on 9443. */
export function needsMonitoringPlugin(version: string | undefined): boolean {
  return versionAtLeast(version, [4, 14])
}

export function monitoringPluginWithoutNginx(version: string | undefined): boolean {
  return versionAtLeast(version, [4, 17])
}

export function consoleContainerName(clusterId: string): string {
  return `console-${clusterId}`
}

export function monitoringPluginContainerName(clusterId: string): string {
  return `monitoring-plugin-${clusterId}`
}

function envArgs(env: EnvVar[]): string[] {
  return env.flatMap((e) => ['--env', e.value === undefined ? e.name : `${e.name}=${e.value}`])
}

export function pullArgs(engine: EngineName, image: string, auth: PullAuth): string[] {
  return engine === 'podman'
    ? ['pull', '--quiet', '--authfile', auth.authFile, PLATFORM, image]
    : ['--config', auth.configDir, 'pull', '--quiet', PLATFORM, image]
}

export interface BridgeOptions {
  branding: string
  documentationUrl: string
  port: number
  /** The backplane proxy URL of the cluster API (`<backplane>/backplane/cluster/<id>/`). */
  server: string
}

/** The console's bridge in off-cluster mode against backplane: API, alertmanager and thanos through the proxy. */
export function bridgeArgs(o: BridgeOptions): string[] {
  const beside = (what: string) => o.server.replace('backplane/cluster', `backplane/${what}`).replace(/\/+$/, '')
  return [
    '/opt/bridge/bin/bridge',
    '--public-dir=/opt/bridge/static',
    '-base-address', `http://127.0.0.1:${o.port}`,
    '-branding', o.branding,
    '-documentation-base-url', o.documentationUrl,
    '-user-settings-location', 'localstorage',
    '-user-auth', 'disabled',
    '-k8s-mode', 'off-cluster',
    '-k8s-auth', 'bearer-token',
    '-k8s-mode-off-cluster-endpoint', o.server,
    '-k8s-mode-off-cluster-alertmanager', beside('alertmanager'),
    '-k8s-mode-off-cluster-thanos', beside('thanos'),
    '-listen', `http://0.0.0.0:${o.port}`,
  ]
}

export function consoleRunArgs(engine: EngineName, o: {auth: PullAuth; bridge: string[]; env: EnvVar[]; image: string; name: string; port: number}): string[] {
  const common = [PLATFORM, '--rm', '--detach', '--name', o.name, '--publish', `127.0.0.1:${o.port}:${o.port}`]
  return engine === 'podman'
    ? ['run', '--authfile', o.auth.authFile, ...common, ...envArgs(o.env), o.image, ...o.bridge]
    : ['--config', o.auth.configDir, 'run', ...common, '--network', 'host', ...envArgs(o.env), o.image, ...o.bridge]
}

/** podman shares the console container's network namespace; docker uses the host network (as the console does). */
export function monitoringPluginRunArgs(
  engine: EngineName,
  o: {auth: PullAuth; consoleName: string; env: EnvVar[]; image: string; name: string; nginxConf: string},
): string[] {
  return engine === 'podman'
    ? [
        'run', '--authfile', o.auth.authFile, PLATFORM, '--rm', '--detach', '--name', o.name,
        '--network', `container:${o.consoleName}`,
        '--mount', `type=bind,source=${o.nginxConf},destination=/etc/nginx/nginx.conf,relabel=shared`,
        ...envArgs(o.env), o.image,
      ]
    : [
        '--config', o.auth.configDir, 'run', PLATFORM, '--rm', '--detach', '--name', o.name,
        '--network', 'host',
        '--volume', `${o.nginxConf}:/etc/nginx/nginx.conf:z`,
        ...envArgs(o.env), o.image,
      ]
}

/** nginx configuration of monitoring plugins that serve their assets with nginx (before 4.17). */
export function monitoringPluginNginxConf(port: number): string {
  return `error_log /dev/stdout info;
events {}
http {
  include            /etc/nginx/mime.types;
  default_type       application/octet-stream;
  keepalive_timeout  65;
  server {
    listen              ${port};
    root                /usr/share/nginx/html;
  }
}
`
}

export interface ClusterPlugin {
  basePath: string
  name: string
  namespace: string
  port: number
  service: string
}

/** BRIDGE_PLUGINS: the cluster's enabled plugins (name=service URL), then the local monitoring plugin. */
export function bridgePlugins(clusterPlugins: ClusterPlugin[], monitoringPluginPort?: number): string {
  const entries = clusterPlugins
    .filter((p) => monitoringPluginPort === undefined || p.name !== 'monitoring-plugin')
    .map((p) => `${p.name}=https://${p.service}.${p.namespace}.svc.cluster.local:${p.port}${p.basePath}`)
  if (monitoringPluginPort !== undefined) entries.push(`monitoring-plugin=http://127.0.0.1:${monitoringPluginPort}`)
  return entries.join(',')
}
