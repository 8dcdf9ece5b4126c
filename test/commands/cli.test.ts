import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {backplane, cleanEnv, ROOT} from '../support/cli.js'
import {expectOneErrorLine} from '../support/expect.js'

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'bp-cli-'))
  return {env: cleanEnv({HOME: dir}), home: dir}
}

describe('version', function () {
  this.timeout(60_000)

  it('--version and -v print one line; `version` prints the bare version (as Go), --verbose adds that line, Node.js and platform', async () => {
    const h = home()
    const first = `backplane/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`
    for (const flag of ['--version', '-v']) {
      const r = await backplane([flag], h.env)
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.equal(`${first}\n`)
    }

    const v = await backplane(['version'], h.env)
    expect(v.code, v.stderr).to.equal(0)
    expect(v.stderr).to.equal('')
    expect(v.stdout).to.equal(`${pkg.version}\n`)
    const verbose = await backplane(['version', '--verbose'], h.env)
    expect(verbose.stdout.split('\n')).to.deep.equal([pkg.version, first, `Node.js: ${process.version}`, `Platform: ${process.platform} (${process.arch})`, ''])
  })

  it('--json; bad input is a usage error', async () => {
    const h = home()
    const j = await backplane(['version', '--json'], h.env)
    expect(JSON.parse(j.stdout)).to.deep.equal({arch: process.arch, node: process.version, platform: process.platform, version: pkg.version})
    expectOneErrorLine(await backplane(['version', '--nope'], h.env), 2, /Nonexistent flag: --nope/)
    expectOneErrorLine(await backplane(['version', 'extra'], h.env), 2, "Error: Unexpected argument: extra — see 'backplane version --help'")
  })
})

describe('shell completion', function () {
  this.timeout(60_000)

  it('autocomplete --help lists bash, zsh and powershell', async () => {
    const r = await backplane(['autocomplete', '--help'], home().env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('(zsh|bash|powershell)').and.include('backplane autocomplete bash')
  })

  it('the bash completion it installs completes commands, subcommands and flags', async () => {
    const h = home()
    const setup = await backplane(['autocomplete', 'bash'], h.env)
    expect(setup.code, setup.stderr).to.equal(0)
    expect(setup.stdout).to.include('backplane autocomplete script bash')
    const script = await backplane(['autocomplete', 'script', 'bash'], h.env)
    expect(script.code, script.stderr).to.equal(0)
    const setupFile = join(h.home, '.cache', 'backplane', 'autocomplete', 'bash_setup')
    expect(script.stdout).to.include(setupFile)
    for (const shell of ['bash/backplane.bash', 'zsh/_backplane', 'powershell/backplane.ps1']) {
      expect(existsSync(join(h.home, '.cache', 'backplane', 'autocomplete', 'functions', shell)), shell).to.equal(true)
    }

    const complete = (words: string[]) =>
      execFileSync('bash', ['-c', `${script.stdout}\nCOMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _backplane_autocomplete; echo "\${COMPREPLY[*]}"`], {
        env: h.env,
      })
        .toString()
        .trim()
        .split(/\s+/)
    expect(complete(['backplane', 'log'])).to.deep.equal(['login', 'logout'])
    expect(complete(['backplane', 'config', ''])).to.deep.equal(['get', 'path', 'refresh', 'set', 'troubleshoot'])
    expect(complete(['backplane', 'login', '--cluster-i'])).to.deep.equal(['--cluster-info'])
    expect(complete(['backplane', 'st'])).to.deep.equal(['status'])
  })
})

describe('did you mean', function () {
  this.timeout(60_000)

  it('a typo (without a terminal) is one line with the suggestion, exit 2', async () => {
    const h = home()
    expectOneErrorLine(await backplane(['logni'], h.env), 2, `Error: "logni" is not a backplane command — did you mean "backplane login"? (see 'backplane help')`)
    expectOneErrorLine(
      await backplane(['logni', 'my-cluster', '-n', 'openshift-monitoring'], h.env),
      2,
      `Error: "logni" is not a backplane command — did you mean "backplane login my-cluster -n openshift-monitoring"? (see 'backplane help')`,
    )
    expectOneErrorLine(await backplane(['config', 'gte', 'url'], h.env), 2, `Error: "config gte" is not a backplane command — did you mean "backplane config get url"? (see 'backplane help')`)
    expectOneErrorLine(await backplane(['statsu'], h.env), 2, /did you mean "backplane status"\?/)
  })

  it('no plausible command: one line pointing at help; extra words to a real command: unexpected argument', async () => {
    const h = home()
    expectOneErrorLine(await backplane(['xyzzy'], h.env), 2, `Error: "xyzzy" is not a backplane command — see 'backplane help' for the list of commands`)
    expectOneErrorLine(await backplane(['status', 'now'], h.env), 2, "Error: Unexpected argument: now — see 'backplane status --help'")
  })
})
