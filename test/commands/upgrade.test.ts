import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {detectInstall} from '../../src/lib/update/install.js'
import {isNewer, updateCachePath} from '../../src/lib/update/notice.js'
import {shellQuote} from '../../src/lib/shell.js'
import {backplane, cleanEnv, ROOT, RUN, transcript} from '../support/cli.js'

/** `backplane <args>` in a real pseudo-terminal (util-linux script): stderr is a TTY. Resolves with all it printed. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{code: null | number; ms: number; out: string}> {
  const started = Date.now()
  const command = [process.execPath, RUN, ...args].map(shellQuote).join(' ')
  const child = spawn('script', ['-qec', command, '/dev/null'], {env: {...env, TERM: 'xterm'}, stdio: ['ignore', 'pipe', 'pipe']})
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  return new Promise((resolve) => {
    child.on('close', (code) => {
      transcript.push({args, stderr: '', stdout: out})
      resolve({code, ms: Date.now() - started, out})
    })
  })
}

async function until(probe: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('upgrade, and the update notice', function () {
  this.timeout(60_000)
  let home: string
  let server: Server
  let registry: string
  const hits: string[] = []
  let delayMs = 0
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'bp-upgrade-'))
    server = createServer((req, res) => {
      hits.push(req.url ?? '')
      setTimeout(() => {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(JSON.stringify({name: 'backplane', version: '99.0.0'}))
      }, delayMs)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    registry = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    rmSync(home, {force: true, recursive: true})
  })

  const env = (extra: Record<string, string> = {}) => cleanEnv({BACKPLANE_NO_UPDATE_NOTIFIER: '0', BACKPLANE_UPDATE_REGISTRY: registry, HOME: home, ...extra})
  const cache = () => updateCachePath({HOME: home})
  const NOTICE = /A new version of backplane is available: 0\.1\.0 → 99\.0\.0\. Run 'backplane upgrade'/

  it('on a terminal: the first command starts a background check, the next shows the notice once; none waits on the registry', async () => {
    rmSync(cache(), {force: true})
    delayMs = 0
    const first = await inTerminal(['version'], env())
    expect(first.code).to.equal(0)
    expect(first.out).not.to.match(NOTICE)
    await until(() => existsSync(cache()) && JSON.parse(readFileSync(cache(), 'utf8')).latest === '99.0.0')
    expect(hits.at(-1)).to.equal('/backplane/latest')
    const second = await inTerminal(['version'], env())
    expect(second.out).to.match(NOTICE)
    const third = await inTerminal(['version'], env())
    expect(third.out).not.to.match(NOTICE) // at most once a day
    expect(hits.length).to.equal(1) // and one registry check a day
  })

  it('a registry that hangs delays no command; the child gives up after 2 s', async () => {
    rmSync(cache(), {force: true})
    delayMs = 10_000
    const before = hits.length
    const quick = await inTerminal(['version'], env())
    const baseline = await inTerminal(['version'], env({BACKPLANE_NO_UPDATE_NOTIFIER: '1'}))
    expect(quick.ms).to.be.lessThan(baseline.ms + 1500)
    await until(() => hits.length > before)
    await new Promise((r) => setTimeout(r, 2600))
    expect(JSON.parse(readFileSync(cache(), 'utf8')).latest).to.equal(undefined)
    delayMs = 0
  })

  it('off with BACKPLANE_NO_UPDATE_NOTIFIER=1 and when stderr is not a terminal: no notice, no check', async () => {
    writeFileSync(cache(), JSON.stringify({checkedAt: 0, latest: '99.0.0'}))
    const before = hits.length
    expect((await inTerminal(['version'], env({BACKPLANE_NO_UPDATE_NOTIFIER: '1'}))).out).not.to.match(NOTICE)
    const piped = await backplane(['version'], env())
    expect(piped.stderr).not.to.match(NOTICE)
    await new Promise((r) => setTimeout(r, 500))
    expect(hits.length).to.equal(before)
  })

  it('upgrade: from a clone it says what to run; --print and --json; it detects a global npm install', async () => {
    const r = await backplane(['upgrade'], env({BACKPLANE_NO_UPDATE_NOTIFIER: '1'}))
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include(`backplane runs from the git checkout ${ROOT.replace(/\/$/, '')}`)
    expect(r.stdout).to.include(`git -C '${ROOT.replace(/\/$/, '')}' pull`)
    const j = JSON.parse((await backplane(['upgrade', '--json'], env({BACKPLANE_NO_UPDATE_NOTIFIER: '1'}))).stdout)
    expect(j).to.include({method: 'clone', version: '0.1.0'})
    const p = await backplane(['upgrade', '--print'], env({BACKPLANE_NO_UPDATE_NOTIFIER: '1'}))
    expect(p.stdout.trim()).to.equal(j.command)

    expect(detectInstall('/usr/lib/node_modules/backplane', 'backplane', '/usr/lib/node_modules', () => false)).to.deep.equal({
      command: 'npm install -g backplane@latest',
      method: 'npm-global',
      root: '/usr/lib/node_modules/backplane',
    })
    expect(detectInstall('/opt/backplane', 'backplane', '/usr/lib/node_modules', () => false).method).to.equal('other')
    expect(isNewer('0.2.0', '0.1.9')).to.equal(true)
    expect(isNewer('0.1.0', '0.1.0')).to.equal(false)
    expect(isNewer('1.0.0-rc.1', '0.1.0')).to.equal(false)
  })
})
