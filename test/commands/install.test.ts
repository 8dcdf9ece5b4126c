import {expect} from 'chai'
import {copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'

import {SEED} from '../../src/simulator/index.js'
import {ROOT, runProgram, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'

describe('installed as an ocm plugin', function () {
  this.timeout(120_000)
  const s = useSimulator()

  it('npm install -g puts `backplane` and `ocm-backplane` on PATH, and `ocm-backplane login` works', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'bp-prefix-'))
    const install = await runProgram('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', ROOT], process.env, {timeoutMs: 110_000})
    expect(install.code, install.stderr).to.equal(0)
    const bin = join(prefix, 'bin')
    const u = userHome(s.sim, {PATH: `${bin}:${process.env.PATH}`})
    // ocm runs `ocm-<name>` from PATH for `ocm <name> …`: this is what `ocm backplane login` executes.
    const r = await runProgram('ocm-backplane', ['login', SEED.demo.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('Logged in to demo-cluster')
    expect(parse(readFileSync(u.kubeconfig, 'utf8'))['current-context']).to.equal('default/demo-cluster/sre-demo')
    const version = await runProgram('backplane', ['--version'], u.env)
    expect(version.stdout).to.match(/^backplane\/\d+\.\d+\.\d+ /)
    rmSync(prefix, {force: true, recursive: true})
    rmSync(u.home, {force: true, recursive: true})
  })

  it('the tarball `npm pack` makes installs without any devDependency and runs the bundle', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bp-pack-'))
    try {
      // --ignore-scripts: pack the dist this suite built (prepack would rebuild it under the running tests).
      const pack = await runProgram('npm', ['pack', '--ignore-scripts', '--pack-destination', work, ROOT], process.env, {timeoutMs: 60_000})
      expect(pack.code, pack.stderr).to.equal(0)
      const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!)
      const untar = await runProgram('tar', ['-xzf', tarball, '-C', work], process.env)
      expect(untar.code, untar.stderr).to.equal(0)
      // What a user's install gets: the production dependencies of the lockfile (npm ci works offline from the cache).
      const pkg = join(work, 'package')
      copyFileSync(join(ROOT, 'package-lock.json'), join(pkg, 'package-lock.json'))
      const install = await runProgram('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--offline'], process.env, {cwd: pkg, timeoutMs: 110_000})
      expect(install.code, install.stderr).to.equal(0)
      // (@types/* excepted: @kubernetes/client-node itself depends on @types/node.)
      const devDependencies = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies).filter((d) => !d.startsWith('@types/'))
      expect(devDependencies).to.include.members(['esbuild', 'tsx', 'typescript'])
      for (const dev of devDependencies) expect(existsSync(join(pkg, 'node_modules', dev)), `${dev} installed`).to.equal(false)
      // The commands are the bundle: they need neither the compiled lib/ tree nor any devDependency.
      rmSync(join(pkg, 'dist', 'lib'), {force: true, recursive: true})
      const u = userHome(s.sim)
      const run = join(pkg, 'bin', 'run.js')
      try {
        const login = await runProgram(process.execPath, [run, 'login', SEED.demo.name], u.env)
        expect(login.code, login.stderr).to.equal(0)
        expect(login.stdout).to.include('Logged in to demo-cluster')
        const help = await runProgram(process.execPath, [run, 'help', 'login'], u.env)
        expect(help.code, help.stderr).to.equal(0)
        expect(help.stdout).to.include('$ backplane login')
      } finally {
        rmSync(u.home, {force: true, recursive: true})
      }
    } finally {
      rmSync(work, {force: true, recursive: true})
    }
  })
})
