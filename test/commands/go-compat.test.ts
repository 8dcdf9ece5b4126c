// Drop-in for Go `ocm-backplane` users: what they type (flags, aliases, env vars, config keys) is accepted here,
// with the same meaning, and the output their scripts parse is the same. Each row runs the real CLI against the
// simulator. The Go reference is openshift/backplane-cli (cmd/ocm-backplane, pkg/).
import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {SEED} from '../../src/simulator/index.js'
import {backplane, cleanEnv, type RunResult, userHome, type UserHome} from '../support/cli.js'
import {editBackplaneConfig} from '../support/config.js'
import {useSimulator} from '../support/sim.js'

type Sim = ReturnType<typeof useSimulator>['sim']

interface Ctx {
  /** The user of this row: logged in to demo-cluster (unless the row says fresh). */
  u: UserHome
  sim: Sim
}

interface Row {
  /** What the Go user types (and what it means there). */
  go: string
  args: (c: Ctx) => string[]
  env?: (c: Ctx) => Record<string, string>
  /** A user of its own, not logged in (default: the shared logged-in one). */
  fresh?: boolean
  setup?: (c: Ctx) => void | Promise<void>
  check: (r: RunResult, c: Ctx) => void | Promise<void>
}

const ok = (r: RunResult) => expect(r.code, `${r.stderr}\n${r.stdout}`).to.equal(0)
const lastRequest = (c: Ctx, method = 'GET') => c.sim.requests.filter((q) => q.method === method).at(-1)!
const jobsPath = (id: string) => `/backplane/script/${id}/job`

/** Go ocm-backplane's flags and aliases (cmd/ocm-backplane/*), each run here with Go's meaning. */
const FLAGS_AND_ALIASES: Row[] = [
  {
    go: 'login <cluster> -m (short for --multi): a kubeconfig of its own, export KUBECONFIG',
    args: () => ['login', SEED.demo.name, '-m'],
    fresh: true,
    check(r, c) {
      ok(r)
      expect(r.stdout).to.equal(`export KUBECONFIG='${join(c.u.home, '.kube', SEED.demo.id, 'config')}'\n`)
    },
  },
  {
    go: 'managedjob create -w (--wait) and --params (Go spelling of --param)',
    args: () => ['managedjob', 'create', 'sre/restart-pods', '--params', 'NAMESPACE=demo-app', '-w', '--interval', '0.2'],
    check(r, c) {
      ok(r)
      expect(r.stdout).to.match(/^JobId: job-/m)
      expect(r.stderr).to.include('Succeeded')
      expect(JSON.parse(lastRequest(c, 'POST').body).parameters).to.deep.equal({NAMESPACE: 'demo-app'})
    },
  },
  {
    go: 'managedJob (topic alias) get',
    args: () => ['managedJob', 'get'],
    check(r, c) {
      ok(r)
      expect(lastRequest(c).path).to.equal(jobsPath(SEED.demo.id))
    },
  },
  {
    go: 'managedjobs (topic alias) list',
    args: () => ['managedjobs', 'list'],
    check(r, c) {
      ok(r)
      expect(lastRequest(c).path).to.equal(jobsPath(SEED.demo.id))
    },
  },
  {
    go: 'managedjob del (alias of delete) <job> -y',
    async setup(c) {
      const r = await backplane(['managedjob', 'create', 'sre/cluster-health', '--json'], c.u.env)
      ok(r)
      ;(c as Ctx & {job?: string}).job = JSON.parse(r.stdout).jobId
    },
    args: (c) => ['managedjob', 'del', (c as Ctx & {job?: string}).job!, '-y'],
    check(r, c) {
      ok(r)
      expect(lastRequest(c, 'DELETE').path).to.equal(`${jobsPath(SEED.demo.id)}/${(c as Ctx & {job?: string}).job}`)
    },
  },
  {
    go: 'managedjob create --manager: run on the managing cluster (Hive shard of a classic cluster)',
    args: () => ['managedjob', 'create', 'sre/cluster-health', '--manager'],
    check(r, c) {
      ok(r)
      expect(lastRequest(c, 'POST').path).to.equal(jobsPath(SEED.hive.id))
    },
  },
  {
    go: 'managedjob logs --manager <job>: the logs on the managing cluster',
    async setup(c) {
      const r = await backplane(['managedjob', 'create', 'sre/cluster-health', '--manager', '--json'], c.u.env)
      ok(r)
      ;(c as Ctx & {job?: string}).job = JSON.parse(r.stdout).jobId
    },
    args: (c) => ['managedjob', 'logs', (c as Ctx & {job?: string}).job!, '--manager'],
    check(r, c) {
      ok(r)
      expect(lastRequest(c).path).to.match(new RegExp(`^${jobsPath(SEED.hive.id)}/job-[0-9a-f]+/logs\\?`))
    },
  },
  {
    go: 'script get (alias of list)',
    args: () => ['script', 'get'],
    check(r, c) {
      ok(r)
      expect(r.stdout).to.match(/^NAME +DESCRIPTION/)
      expect(lastRequest(c).path).to.equal(`/backplane/script/${SEED.demo.id}`)
    },
  },
  {
    go: 'scripts alone: the help of the script topic (Go: cobra help), not "not a command"',
    args: () => ['scripts'],
    check(r) {
      ok(r)
      expect(r.stdout).to.include('backplane script COMMAND').and.include('list')
    },
  },
  {
    go: 'script describe --raw <missing>: the raw API error JSON (Go RenderJSONBytes)',
    args: () => ['script', 'describe', 'sre/none', '--raw'],
    setup(c) {
      c.sim.setFault('GET /backplane/script/', {body: JSON.stringify({message: 'script not found', statusCode: 404}), status: 404, times: 1})
    },
    check(r) {
      expect(r.code).to.equal(1)
      expect(JSON.parse(r.stdout)).to.deep.equal({message: 'script not found', statusCode: 404})
      expect(r.stderr).to.match(/^Error: no script "sre\/none"/)
    },
  },
  {
    go: 'managedjob get --raw <missing job>',
    args: () => ['managedjob', 'get', 'job-0000000000', '--raw'],
    check(r) {
      expect(r.code).to.equal(1)
      expect(JSON.parse(r.stdout)).to.have.property('message')
      expect(r.stderr).to.match(/^Error: no job "job-0000000000"/)
    },
  },
  {
    go: 'cloud console -o env (Go: anything but json|yaml is text)',
    args: () => ['cloud', 'console', '-o', 'env'],
    check(r) {
      ok(r)
      expect(r.stdout).to.match(/^Console Link:\n {2}Link: https:\/\//)
    },
  },
  {
    go: 'cloud credentials -o text',
    args: () => ['cloud', 'credentials', '-o', 'text'],
    check(r) {
      ok(r)
      expect(r.stdout).to.match(/^Temporary Credentials:\n {2}AccessKeyID: /)
    },
  },
  {
    go: '--verbosity=debug: the request trace',
    args: () => ['status', '--verbosity=debug'],
    check(r) {
      ok(r)
      expect(r.stderr).to.match(/^backplane: GET https:\/\/127\.0\.0\.1:\d+\/api\/clusters_mgmt\/v1\/clusters\/\S+ 200 \d+ms$/m)
    },
  },
  {
    go: '-v (alone on a command: --verbosity=info): step lines',
    args: () => ['cloud', 'console', '-v'],
    check(r) {
      ok(r)
      expect(r.stderr).to.match(/^backplane: backplane URL https:\/\/127\.0\.0\.1:\d+ \(from the OCM environment\)$/m)
      expect(r.stderr).to.match(new RegExp(`^backplane: target cluster ${SEED.demo.id} \\(the current backplane context\\)$`, 'm'))
      expect(r.stderr).to.not.match(/ 200 \d+ms$/m)
    },
  },
  {
    go: '--verbosity=error: no warnings',
    args: () => ['login', SEED.demo.name, '--verbosity=error'],
    setup(c) {
      editBackplaneConfig(c.u, {url: 'https://127.0.0.1:9'})
    },
    check(r, c) {
      ok(r)
      expect(r.stderr).to.equal('')
      editBackplaneConfig(c.u, {url: undefined})
    },
  },
  {
    go: '--verbosity=<bad>: a usage error (Go: not a valid logrus Level)',
    args: () => ['status', '--verbosity=loud'],
    check(r) {
      expect(r.code).to.equal(2)
      expect(r.stderr).to.equal('Error: invalid --verbosity "loud" — give one of panic, fatal, error, warn, info, debug\n')
    },
  },
]

function runRows(title: string, rows: Row[]): void {
  describe(title, function () {
    this.timeout(120_000)
    const s = useSimulator()
    let shared: UserHome
    const homes: string[] = []
    before(async () => {
      shared = userHome(s.sim)
      homes.push(shared.home)
      const r = await backplane(['login', SEED.demo.name], shared.env)
      expect(r.code, r.stderr).to.equal(0)
    })
    after(() => {
      for (const home of homes) rmSync(home, {force: true, recursive: true})
    })

    for (const row of rows) {
      it(row.go, async () => {
        const u = row.fresh ? userHome(s.sim) : shared
        if (row.fresh) homes.push(u.home)
        const c: Ctx = {sim: s.sim, u}
        await row.setup?.(c)
        const r = await backplane(row.args(c), {...u.env, ...row.env?.(c)})
        await row.check(r, c)
      })
    }
  })
}

runRows('Go ocm-backplane compatibility: flags and aliases', FLAGS_AND_ALIASES)

describe('Go ocm-backplane compatibility: completion', function () {
  this.timeout(60_000)
  it('completion bash|zsh|fish|powershell print a script (cobra spelling), for backplane and ocm-backplane', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bp-completion-'))
    const u = {env: cleanEnv({HOME: home}), home}
    try {
      const scripts: Record<string, string> = {}
      for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
        const r = await backplane(['completion', shell], u.env)
        ok(r)
        scripts[shell] = r.stdout
      }

      expect(scripts.bash).to.include('complete -F _backplane_autocomplete backplane').and.include('complete -F _backplane_autocomplete ocm-backplane')
      expect(scripts.zsh).to.match(/^#compdef backplane/).and.include('compdef _backplane backplane ocm-backplane')
      expect(scripts.powershell).to.include('Register-ArgumentCompleter -Native -CommandName backplane,ocm-backplane')
      expect(scripts.fish).to.include("complete -c backplane -n '__backplane_at' -a 'login'").and.include("complete -c ocm-backplane -n '__backplane_in login' -l multi -s m")
      expect(scripts.fish).to.include("complete -c backplane -n '__backplane_at managedjob' -a 'create'")
      expect(readFileSync(join(u.home, '.cache', 'backplane', 'autocomplete', 'functions', 'bash', 'backplane.bash'), 'utf8')).to.include('_backplane_autocomplete')
      const bad = await backplane(['completion', 'tcsh'], u.env)
      expect(bad.code).to.equal(2)
    } finally {
      rmSync(u.home, {force: true, recursive: true})
    }
  })
})
