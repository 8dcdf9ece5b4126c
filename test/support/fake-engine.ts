// A fake `podman` / `docker` for tests (no container engine runs here): a small node script that records
// its argv (and whether the bearer token reached it through the environment) to a log file, and behaves
// like the real one for what `backplane console` uses: pull, run -d, ps, container stop, container rm.
// A container run with --publish starts a tiny HTTP server on that port (answering /health), so the
// console is really "up"; stop/rm kill it; container inspect tells whether one runs. FAKE_ENGINE_FAIL=pull | run | run:<name prefix> | ps fails on demand;
// FAKE_ENGINE_SLOW=pull makes a pull take 30 s (to interrupt it).
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, dirname, join} from 'node:path'

const SCRIPT = String.raw`
const fs = require('fs')
const path = require('path')
const {spawn} = require('child_process')
const crypto = require('crypto')
const engine = path.basename(process.argv[1])
let args = process.argv.slice(2)
const state = process.env.FAKE_ENGINE_STATE
fs.appendFileSync(process.env.FAKE_ENGINE_LOG, JSON.stringify({engine, args, tokenEnv: process.env.BRIDGE_K8S_AUTH_BEARER_TOKEN || null}) + '\n')
const fail = (process.env.FAKE_ENGINE_FAIL || '').split(',').filter(Boolean)
function die(message, code) {
  process.stderr.write(message + '\n')
  process.exit(code === undefined ? 125 : code)
}
let config
if (engine === 'docker' && args[0] === '--config') {
  config = args[1]
  args = args.slice(2)
}
if (args[0] === 'container') args = args.slice(1)
const cmd = args[0]
const rest = args.slice(1)
fs.mkdirSync(state, {recursive: true})
const file = (name) => path.join(state, name + '.json')
const names = () => fs.readdirSync(state).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
const value = (flag) => {
  const i = rest.indexOf(flag)
  return i >= 0 ? rest[i + 1] : undefined
}
function kill(name) {
  const c = JSON.parse(fs.readFileSync(file(name), 'utf8'))
  if (c.pid) try { process.kill(c.pid, 'SIGTERM') } catch {}
  return c
}
switch (cmd) {
  case 'pull': {
    const image = rest[rest.length - 1]
    if (process.env.FAKE_ENGINE_SLOW === 'pull') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000)
    if (fail.includes('pull')) die('Error: initializing source docker://' + image + ': reading manifest sha256:0 in quay.io/openshift-release-dev/ocp-v4.0-art-dev: manifest unknown')
    if (engine === 'podman') {
      const auth = value('--authfile')
      if (!auth || !fs.existsSync(auth)) die('Error: credential file is not accessible: no such file or directory')
    } else if (!config || !fs.existsSync(path.join(config, 'config.json'))) {
      die('Error response from daemon: unauthorized: authentication required', 1)
    }
    process.stdout.write('sha256:' + crypto.createHash('sha256').update(image).digest('hex') + '\n')
    break
  }
  case 'run': {
    const name = value('--name')
    if (!name) die('Error: fake engine: run without --name')
    if (fs.existsSync(file(name))) die('Error: creating container storage: the container name "' + name + '" is already in use')
    if (fail.includes('run') || fail.some((f) => f.startsWith('run:') && name.startsWith(f.slice(4)))) {
      die('Error: crun: executable file "/opt/bridge/bin/bridge" not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found', 127)
    }
    let pid
    const publish = value('--publish')
    if (publish) {
      const port = Number(publish.split(':').pop())
      const server = "require('http').createServer((q, s) => s.end(q.url === '/health' ? 'ok' : 'fake console')).listen(" + port + ", '127.0.0.1')"
      const child = spawn(process.execPath, ['-e', server], {detached: true, stdio: 'ignore'})
      child.unref()
      pid = child.pid
    }
    fs.writeFileSync(file(name), JSON.stringify({name, rm: rest.includes('--rm'), pid, running: true}))
    process.stdout.write(crypto.randomBytes(32).toString('hex') + '\n')
    break
  }
  case 'inspect': {
    const name = rest[rest.length - 1]
    if (!fs.existsSync(file(name))) die('Error: no such container ' + name, 125)
    process.stdout.write(String(JSON.parse(fs.readFileSync(file(name), 'utf8')).running) + '\n')
    break
  }
  case 'ps': {
    if (fail.includes('ps')) die('Error: cannot connect to the engine')
    const filter = (value('--filter') || '').replace(/^name=/, '')
    for (const n of names()) if (n.includes(filter)) process.stdout.write(n + '\n')
    break
  }
  case 'stop': {
    const name = rest[rest.length - 1]
    if (!fs.existsSync(file(name))) die('Error: no container with name or ID "' + name + '" found: no such container')
    const c = kill(name)
    if (c.rm) fs.rmSync(file(name))
    else fs.writeFileSync(file(name), JSON.stringify({...c, pid: undefined, running: false}))
    process.stdout.write(name + '\n')
    break
  }
  case 'rm': {
    const name = rest[rest.length - 1]
    if (!fs.existsSync(file(name))) die('Error: no container with ID or name "' + name + '" found: no such container', 1)
    kill(name)
    fs.rmSync(file(name))
    process.stdout.write(name + '\n')
    break
  }
  default:
    die('Error: unrecognized command ' + engine + ' ' + cmd)
}
`

export interface FakeEngine {
  /** Directory holding the fake executables: prepend it to PATH. */
  bin: string
  /** A PATH with the fake engines first, node and the base system tools (no real docker or podman). */
  path: string
  log: string
  state: string
  env: Record<string, string>
  /** Every engine call so far, in order. */
  calls(): Array<{args: string[]; engine: string; tokenEnv: null | string}>
  /** The containers the running console checked (`container inspect <name>`), in order. */
  inspections(): string[]
  /** Names of the containers that exist now. */
  containers(): string[]
  /** Pretend a container with this name exists (run earlier, without --rm). */
  seed(name: string): void
  /** Kill the servers of containers a failed test left behind. */
  dispose(): void
}

/** Base PATH for tests that control which engines exist: node's directory and the system tools. */
export function systemPath(extra: string[] = []): string {
  return [...extra, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter)
}

export function fakeEngine(engines: Array<'docker' | 'podman'> = ['podman', 'docker']): FakeEngine {
  const root = mkdtempSync(join(tmpdir(), 'bp-engine-'))
  const bin = join(root, 'bin')
  const state = join(root, 'state')
  const log = join(root, 'calls.jsonl')
  mkdirSync(bin)
  mkdirSync(state)
  writeFileSync(log, '')
  for (const name of engines) {
    const path = join(bin, name)
    writeFileSync(path, `#!${process.execPath}\n${SCRIPT}`)
    chmodSync(path, 0o755)
  }

  const allCalls = (): Array<{args: string[]; engine: string; tokenEnv: null | string}> =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  const containers = () => readdirSync(state).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
  return {
    bin,
    // The running console's liveness checks (`container inspect`, on a timer) are left out: see inspections().
    calls: () => allCalls().filter((c) => c.args[0] !== 'container' || c.args[1] !== 'inspect'),
    inspections: () => allCalls().filter((c) => c.args[0] === 'container' && c.args[1] === 'inspect').map((c) => c.args.at(-1)!),
    containers,
    dispose() {
      for (const name of containers()) {
        const {pid} = JSON.parse(readFileSync(join(state, `${name}.json`), 'utf8'))
        if (pid) {
          try {
            process.kill(pid, 'SIGTERM')
          } catch {}
        }
      }
    },
    env: {FAKE_ENGINE_LOG: log, FAKE_ENGINE_STATE: state, PATH: systemPath([bin])},
    log,
    path: systemPath([bin]),
    seed(name) {
      if (!existsSync(state)) mkdirSync(state)
      writeFileSync(join(state, `${name}.json`), JSON.stringify({name, rm: false, running: false}))
    },
    state,
  }
}

/** A fake browser for the `open` package (its xdg-open runs $BROWSER): records each URL, or fails. */
export function fakeBrowser(opts: {fail?: boolean} = {}): {env: Record<string, string>; opened(): string[]} {
  const root = mkdtempSync(join(tmpdir(), 'bp-browser-'))
  const record = join(root, 'opened.txt')
  const path = join(root, 'browser')
  writeFileSync(path, opts.fail ? '#!/bin/sh\necho "no display" >&2\nexit 1\n' : `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\n`)
  chmodSync(path, 0o755)
  return {
    env: {BROWSER: path},
    opened: () => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []),
  }
}
