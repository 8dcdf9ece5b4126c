import {expect} from 'chai'
import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'

import {browserFromEnv, wantsBrowser} from '../../../src/lib/console/browser.js'
import {
  brandingFor,
  bridgePlugins,
  monitoringPluginWithoutNginx,
  needsMonitoringPlugin,
  versionAtLeast,
} from '../../../src/lib/console/command-lines.js'
import {engineMessage, resolveEngine} from '../../../src/lib/console/engine.js'
import {parsePort} from '../../../src/lib/console/port.js'
import {CliError} from '../../../src/lib/errors.js'

function thrown(fn: () => unknown): CliError {
  try {
    fn()
  } catch (error) {
    return error as CliError
  }

  throw new Error('did not throw')
}

async function rejected(p: Promise<unknown>): Promise<CliError> {
  return p.then(
    () => {
      throw new Error('did not reject')
    },
    (error) => error as CliError,
  )
}

describe('console logic', () => {
  describe('versions, branding, plugins', () => {
    it('compares OpenShift major.minor', () => {
      expect(versionAtLeast('4.14.0', [4, 14])).to.equal(true)
      expect(versionAtLeast('4.13.20', [4, 14])).to.equal(false)
      expect(versionAtLeast('5.0.1', [4, 14])).to.equal(true)
      expect(versionAtLeast('4.9.1', [4, 14])).to.equal(false)
      expect(versionAtLeast(undefined, [4, 14])).to.equal(false)
      expect(versionAtLeast('nightly', [4, 14])).to.equal(false)
      expect(needsMonitoringPlugin('4.14.2')).to.equal(true)
      expect(monitoringPluginWithoutNginx('4.16.9')).to.equal(false)
      expect(monitoringPluginWithoutNginx('4.17.0')).to.equal(true)
    })

    it('brands ROSA ≥ 4.14 as rosa, everything else dedicated', () => {
      expect(brandingFor('rosa', '4.15.3')).to.deep.equal({branding: 'rosa', documentationUrl: 'https://docs.openshift.com/rosa/'})
      expect(brandingFor('rosa', '4.13.1').branding).to.equal('dedicated')
      expect(brandingFor('osd', '4.15.3')).to.deep.equal({branding: 'dedicated', documentationUrl: 'https://docs.openshift.com/dedicated/4/'})
      expect(brandingFor(undefined, undefined).branding).to.equal('dedicated')
    })

    it('lists cluster plugins as service URLs, the local monitoring plugin last (never twice)', () => {
      const plugins = [
        {basePath: '/', name: 'monitoring-plugin', namespace: 'openshift-monitoring', port: 9443, service: 'monitoring-plugin'},
        {basePath: '/api/', name: 'odf', namespace: 'openshift-storage', port: 9001, service: 'odf-svc'},
      ]
      expect(bridgePlugins(plugins, 41000)).to.equal('odf=https://odf-svc.openshift-storage.svc.cluster.local:9001/api/,monitoring-plugin=http://127.0.0.1:41000')
      expect(bridgePlugins(plugins)).to.equal(
        'monitoring-plugin=https://monitoring-plugin.openshift-monitoring.svc.cluster.local:9443/,odf=https://odf-svc.openshift-storage.svc.cluster.local:9001/api/',
      )
      expect(bridgePlugins([])).to.equal('')
    })
  })

  describe('--port', () => {
    it('accepts 1..65535 and nothing else (usage error)', () => {
      expect(parsePort('8080')).to.equal(8080)
      expect(parsePort(' 1 ')).to.equal(1)
      expect(parsePort('65535')).to.equal(65_535)
      for (const bad of ['', 'abc', '0', '65536', '-5', '80.5', '1e3', '0x50']) {
        const error = thrown(() => parsePort(bad))
        expect(error.exitCode, bad).to.equal(2)
        expect(error.line).to.equal(`invalid --port "${bad}" — give a port number from 1 to 65535`)
      }
    })
  })

  describe('BACKPLANE_DEFAULT_OPEN_BROWSER', () => {
    it("reads what Go's strconv.ParseBool reads; unset or empty is unset; anything else is a usage error", () => {
      for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(browserFromEnv({BACKPLANE_DEFAULT_OPEN_BROWSER: v})).to.equal(true)
      for (const v of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(browserFromEnv({BACKPLANE_DEFAULT_OPEN_BROWSER: v})).to.equal(false)
      expect(browserFromEnv({})).to.equal(undefined)
      expect(browserFromEnv({BACKPLANE_DEFAULT_OPEN_BROWSER: ''})).to.equal(undefined)
      for (const v of ['yes', 'tRUE', '2', 'on']) expect(thrown(() => browserFromEnv({BACKPLANE_DEFAULT_OPEN_BROWSER: v})).exitCode).to.equal(2)
    })

    it('replaces -b when set, as in Go: false wins over -b, true opens without it', () => {
      expect(wantsBrowser(true, {BACKPLANE_DEFAULT_OPEN_BROWSER: 'false'})).to.equal(false)
      expect(wantsBrowser(undefined, {BACKPLANE_DEFAULT_OPEN_BROWSER: '1'})).to.equal(true)
      expect(wantsBrowser(true, {})).to.equal(true)
      expect(wantsBrowser(false, {})).to.equal(false)
    })
  })

  describe('container engine', () => {
    const root = mkdtempSync(join(tmpdir(), 'bp-engines-'))
    const dir = (name: string, engines: string[]) => {
      const d = join(root, name)
      mkdirSync(d, {recursive: true})
      for (const e of engines) {
        writeFileSync(join(d, e), '#!/bin/sh\n')
        chmodSync(join(d, e), 0o755)
      }

      return d
    }

    const both = dir('both', ['podman', 'docker'])
    const dockerOnly = dir('docker-only', ['docker'])
    const none = dir('none', [])
    // A non-executable podman is not an engine.
    writeFileSync(join(none, 'podman'), '')

    it('flag, then CONTAINER_ENGINE, then the first of podman, docker on PATH', async () => {
      expect(await resolveEngine('docker', {CONTAINER_ENGINE: 'podman', PATH: both})).to.deep.equal({name: 'docker', path: join(both, 'docker')})
      expect(await resolveEngine(undefined, {CONTAINER_ENGINE: 'DOCKER', PATH: both})).to.deep.equal({name: 'docker', path: join(both, 'docker')})
      expect(await resolveEngine(undefined, {PATH: both})).to.deep.equal({name: 'podman', path: join(both, 'podman')})
      expect(await resolveEngine(undefined, {PATH: [none, dockerOnly].join(delimiter)})).to.deep.equal({name: 'docker', path: join(dockerOnly, 'docker')})
    })

    it('an unknown name is a usage error; a missing engine names what to install', async () => {
      const unknown = await rejected(resolveEngine('rkt', {PATH: both}))
      expect([unknown.exitCode, unknown.line]).to.deep.equal([2, 'unknown container engine "rkt" (--container-engine) — use podman or docker'])
      const fromEnv = await rejected(resolveEngine(undefined, {CONTAINER_ENGINE: 'lxc', PATH: both}))
      expect(fromEnv.line).to.equal('unknown container engine "lxc" (CONTAINER_ENGINE) — use podman or docker')
      const missing = await rejected(resolveEngine('podman', {PATH: dockerOnly}))
      expect([missing.exitCode, missing.line]).to.deep.equal([1, 'container engine podman (--container-engine) is not on PATH — install podman, or use docker with -c docker'])
      const neither = await rejected(resolveEngine(undefined, {PATH: none}))
      expect(neither.line).to.match(/^no container engine found: neither podman nor docker is on PATH — install podman or docker/)
    })

    it("shows the engine's last error line, without warnings, prefixes or tokens", () => {
      expect(engineMessage('WARN[0000] some warning\nError: initializing source docker://x: manifest unknown\n')).to.equal('initializing source docker://x: manifest unknown')
      expect(engineMessage('Error response from daemon: pull access denied for x\n')).to.equal('pull access denied for x')
      expect(engineMessage('Error: bad token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig\n')).to.not.include('eyJ')
      expect(engineMessage('')).to.equal('')
    })
  })
})
