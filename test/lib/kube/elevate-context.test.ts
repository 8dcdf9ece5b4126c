import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'

import {
  checkReason,
  ELEVATE_EXTENSION,
  elevateState,
  mergeReasons,
  minutesLeft,
  readElevateContext,
  recordElevateReasons,
  validReasons,
} from '../../../src/lib/kube/elevate-context.js'
import {KubeconfigFile, KubeconfigSet} from '../../../src/lib/kube/kubeconfig.js'

const fixture = readFileSync(new URL('../../fixtures/kubeconfig-with-extras.yaml', import.meta.url), 'utf8')

// What the Go ocm-backplane writes (clientcmd: JSON keys sorted, time.Time as RFC 3339 with nanoseconds and an offset).
const GO_WRITTEN = `apiVersion: v1
clusters:
- cluster:
    server: https://bp.example.com/backplane/cluster/abc123/
  name: demo
contexts:
- context:
    cluster: demo
    extensions:
    - extension:
        lastUsed: "2026-12-02T17:50:00.123456789+01:00"
        reasons:
        - OHSS-1234
        - checking nodes
      name: ElevateContext
    - extension:
        other: kept
      name: someone-else
    namespace: default
    user: sre
  name: default/demo/sre
current-context: default/demo/sre
kind: Config
preferences: {}
users:
- name: sre
  user:
    token: abc
`
const GO_LAST_USED = Date.parse('2026-12-02T16:50:00.123Z')
const MIN = 60_000

describe('ElevateContext (the reason cache shared with the Go CLI)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bp-elev-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('reads the extension the Go tool writes', () => {
    const file = KubeconfigFile.parse('/x', GO_WRITTEN)
    const ec = readElevateContext(file.body('contexts', 'default/demo/sre'))
    expect(ec).to.deep.equal({lastUsed: GO_LAST_USED, reasons: ['OHSS-1234', 'checking nodes']})
  })

  it('is valid for 20 minutes after its last use (clock injected), then empty', () => {
    const ec = {lastUsed: GO_LAST_USED, reasons: ['r']}
    expect(validReasons(ec, GO_LAST_USED + 20 * MIN)).to.deep.equal(['r'])
    expect(minutesLeft(ec, GO_LAST_USED + 5 * MIN + 1)).to.equal(15)
    expect(minutesLeft(ec, GO_LAST_USED + 20 * MIN)).to.equal(0)
    expect(validReasons(ec, GO_LAST_USED + 20 * MIN + 1)).to.deep.equal([])
    expect(minutesLeft(ec, GO_LAST_USED + 21 * MIN)).to.equal(0)
    expect(validReasons({lastUsed: Number.NaN, reasons: ['r']}, GO_LAST_USED)).to.deep.equal([])
    expect(validReasons(undefined, GO_LAST_USED)).to.deep.equal([])
  })

  it('ignores a malformed extension instead of failing', () => {
    const bad = GO_WRITTEN.replace('lastUsed: "2026-12-02T17:50:00.123456789+01:00"', 'lastUsed: yesterday').replace('- OHSS-1234', '- 42')
    const ec = readElevateContext(KubeconfigFile.parse('/x', bad).body('contexts', 'default/demo/sre'))
    expect(validReasons(ec, GO_LAST_USED)).to.deep.equal([])
    const noExt = KubeconfigFile.parse('/x', GO_WRITTEN.replace('    - extension:\n        lastUsed', '    - extensionX:\n        lastUsed'))
    expect(readElevateContext(noExt.body('contexts', 'default/demo/sre'))).to.equal(undefined)
  })

  it('merges reasons: trimmed, non-empty, no duplicates; refuses control characters', () => {
    expect(mergeReasons(['a'], [' a ', '', undefined, '  ', 'b', 'b'])).to.deep.equal(['a', 'b'])
    expect(checkReason('  x y ')).to.equal('x y')
    expect(() => checkReason('one\ntwo')).to.throw(/control characters or line breaks/)
    expect(() => checkReason('x'.repeat(2000))).to.throw(/at most 1024 characters/)
  })

  it('records a reason on the current context: appended, lastUsed refreshed, Go-readable, every other byte kept', async () => {
    const path = join(dir, 'config')
    writeFileSync(path, GO_WRITTEN)
    const now = GO_LAST_USED + 5 * MIN
    const state = await recordElevateReasons([path], ['second look', 'OHSS-1234'], {clock: () => now})
    expect(state).to.deep.equal({context: 'default/demo/sre', file: path, minutesLeft: 20, reasons: ['OHSS-1234', 'checking nodes', 'second look']})
    const text = readFileSync(path, 'utf8')
    const ctx = parse(text).contexts[0].context
    expect(ctx.extensions).to.deep.equal([
      {extension: {lastUsed: new Date(now).toISOString(), reasons: ['OHSS-1234', 'checking nodes', 'second look']}, name: ELEVATE_EXTENSION},
      {extension: {other: 'kept'}, name: 'someone-else'},
    ])
    // Only the extension changed.
    expect(text.replace(/ {8}lastUsed: .*\n(?: {8}reasons:\n(?: {8}- .*\n)+)/, '')).to.equal(GO_WRITTEN.replace(/ {8}lastUsed: .*\n(?: {8}reasons:\n(?: {8}- .*\n)+)/, ''))
    // kubectl (client-go, as the Go tool reads it) sees the extension with the same fields.
    const view = JSON.parse(execFileSync('kubectl', ['config', 'view', '-o', 'json', '--kubeconfig', path], {encoding: 'utf8'}))
    expect(view.contexts[0].context.extensions[0]).to.deep.equal({
      extension: {lastUsed: new Date(now).toISOString(), reasons: ['OHSS-1234', 'checking nodes', 'second look']},
      name: 'ElevateContext',
    })
  })

  it('drops expired reasons when a new one is recorded, and writes nothing when there is none', async () => {
    const path = join(dir, 'config')
    writeFileSync(path, GO_WRITTEN)
    const later = GO_LAST_USED + 21 * MIN
    expect((await recordElevateReasons([path], [undefined, ''], {clock: () => later})).reasons).to.deep.equal([])
    expect(readFileSync(path, 'utf8')).to.equal(GO_WRITTEN)
    expect((await recordElevateReasons([path], ['fresh'], {clock: () => later})).reasons).to.deep.equal(['fresh'])
    const set = await KubeconfigSet.load([path])
    expect(elevateState(set, later + MIN)).to.deep.equal({context: 'default/demo/sre', file: path, minutesLeft: 19, reasons: ['fresh']})
    expect(elevateState(set, later + 21 * MIN)?.reasons).to.deep.equal([])
  })

  it('adds the extension to a context that has none, keeping the user\'s file otherwise intact; kubectl keeps it across its own edits', async () => {
    const path = join(dir, 'config')
    writeFileSync(path, fixture)
    const now = Date.parse('2026-12-02T10:00:00Z')
    await recordElevateReasons([path], ['why'], {clock: () => now, expectContext: 'kind-dev'})
    const text = readFileSync(path, 'utf8')
    expect(text).to.include('# The user\'s own kubeconfig').and.include('colors: true # keep me').and.include('extension: {owner: me}')
    execFileSync('kubectl', ['config', 'set-context', 'kind-dev', '--namespace', 'other', '--kubeconfig', path])
    const set = await KubeconfigSet.load([path])
    expect(elevateState(set, now + MIN)?.reasons).to.deep.equal(['why'])
  })

  it('writes to the file of $KUBECONFIG that defines the current context', async () => {
    const first = join(dir, 'first')
    const second = join(dir, 'second')
    writeFileSync(first, 'apiVersion: v1\nkind: Config\ncurrent-context: default/demo/sre\n')
    writeFileSync(second, GO_WRITTEN.replace('current-context: default/demo/sre\n', ''))
    const state = await recordElevateReasons([first, second], ['x'], {clock: () => GO_LAST_USED + MIN})
    expect(state.file).to.equal(second)
    expect(readFileSync(first, 'utf8')).to.equal('apiVersion: v1\nkind: Config\ncurrent-context: default/demo/sre\n')
    expect(parse(readFileSync(second, 'utf8')).contexts[0].context.extensions[0].extension.reasons).to.deep.equal(['OHSS-1234', 'checking nodes', 'x'])
  })

  it('refuses when there is no current context, or it changed meanwhile', async () => {
    const path = join(dir, 'config')
    writeFileSync(path, fixture.replace('current-context: kind-dev', 'current-context: ""'))
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (error: Error) => error.message)
    expect(await failure(recordElevateReasons([path], ['x']))).to.equal('no current kubeconfig context')
    writeFileSync(path, fixture)
    expect(await failure(recordElevateReasons([path], ['x'], {expectContext: 'other'}))).to.equal('the current context changed to "kind-dev" meanwhile')
    expect(readFileSync(path, 'utf8')).to.equal(fixture)
  })
})
