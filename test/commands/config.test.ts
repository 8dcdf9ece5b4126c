import {expect} from 'chai'
import {chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {SEED} from '../../src/simulator/index.js'
import {backplane, cleanEnv, userHome} from '../support/cli.js'
import {useSimulator} from '../support/sim.js'
import {expectOneErrorLine} from '../support/expect.js'

/** A HOME with no backplane config; BACKPLANE_CONFIG unset unless given. */
function freshHome(extra: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'bp-cfg-'))
  return {env: cleanEnv({HOME: home, ...extra}), file: join(home, '.config', 'backplane', 'config.json'), home}
}

describe('config', function () {
  this.timeout(60_000)

  it('path: ~/.config/backplane/config.json, or $BACKPLANE_CONFIG; --json', async () => {
    const h = freshHome()
    const r = await backplane(['config', 'path'], h.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal(`${h.file}\n`)
    const other = join(h.home, 'elsewhere.json')
    const j = await backplane(['config', 'path', '--json'], {...h.env, BACKPLANE_CONFIG: other})
    expect(JSON.parse(j.stdout)).to.deep.equal({path: other})
  })

  it('set creates the file 0600 in a 0700 directory, and get reads each value back', async () => {
    const h = freshHome()
    const sets: Array<[string, string, string]> = [
      ['url', 'https://bp.example.com/', 'https://bp.example.com'],
      ['proxy-url', 'http://squid-1:3128, http://squid-2:3128', 'http://squid-1:3128,http://squid-2:3128'],
      ['display-cluster-info', 'true', 'true'],
      ['session-dir', join(h.home, 'sessions'), join(h.home, 'sessions')],
    ]
    for (const [key, value, shown] of sets) {
      const s = await backplane(['config', 'set', key, value], h.env)
      expect(s.code, s.stderr).to.equal(0)
      expect(s.stdout).to.equal(`Set ${key} to ${shown} in ${h.file}.\n`)
      const g = await backplane(['config', 'get', key], h.env)
      expect(g.code, g.stderr).to.equal(0)
      expect(g.stdout).to.equal(`${key}: ${shown}\n`)
      const v = await backplane(['config', 'get', key, '--value-only'], h.env)
      expect(v.stdout).to.equal(`${shown}\n`)
    }

    expect(statSync(h.file).mode & 0o777).to.equal(0o600)
    expect(statSync(join(h.home, '.config', 'backplane')).mode & 0o777).to.equal(0o700)
    expect(JSON.parse(readFileSync(h.file, 'utf8'))).to.deep.equal({
      'display-cluster-info': true,
      'proxy-url': ['http://squid-1:3128', 'http://squid-2:3128'],
      'session-dir': join(h.home, 'sessions'),
      url: 'https://bp.example.com',
    })

    const all = await backplane(['config', 'get', 'all'], h.env)
    expect(all.code, all.stderr).to.equal(0)
    expect(all.stdout.split('\n').filter(Boolean)).to.deep.equal([
      'url: https://bp.example.com',
      'proxy-url: http://squid-1:3128,http://squid-2:3128',
      'aws-proxy: ',
      'ca-file: ',
      'display-cluster-info: true',
      'disable-kube-ps1-warning: ',
      'show-other-sessions: ',
      'govcloud: ',
      `session-dir: ${join(h.home, 'sessions')}`,
      'pd-key: ',
      'pagerduty-api-url: ',
      'jira-token: ',
      'jira-email: ',
      'vpn-check-endpoint: ',
      'proxy-check-endpoint: ',
      'prod-env-name: ',
      'jira-base-url: ',
      'assume-initial-arn: ',
    ])
    const json = JSON.parse((await backplane(['config', 'get', 'all', '--json'], h.env)).stdout)
    expect(json.path).to.equal(h.file)
    expect(json.values).to.deep.equal({
      'assume-initial-arn': null,
      'aws-proxy': null,
      'ca-file': null,
      'disable-kube-ps1-warning': null,
      'display-cluster-info': true,
      govcloud: null,
      'show-other-sessions': null,
      'jira-base-url': null,
      'jira-token': null,
      'jira-email': null,
      'prod-env-name': null,
      'proxy-check-endpoint': null,
      'vpn-check-endpoint': null,
      'pd-key': null,
      'pagerduty-api-url': null,
      'proxy-url': ['http://squid-1:3128', 'http://squid-2:3128'],
      'session-dir': join(h.home, 'sessions'),
      url: 'https://bp.example.com',
    })
  })

  it('keeps keys it does not know, and the mode stays 0600 over an existing 0644 file', async () => {
    const h = freshHome()
    const file = join(h.home, 'custom.json')
    writeFileSync(file, JSON.stringify({govcloud: false, 'jira-base-url': 'https://issues.example.com', url: 'https://old'}), {mode: 0o644})
    chmodSync(file, 0o644)
    const env = {...h.env, BACKPLANE_CONFIG: file}
    expect((await backplane(['config', 'set', 'url', 'https://new'], env)).code).to.equal(0)
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({govcloud: false, 'jira-base-url': 'https://issues.example.com', url: 'https://new'})
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    // An empty value removes the key.
    const removed = await backplane(['config', 'set', 'url', ''], env)
    expect(removed.stdout).to.equal(`Removed url from ${file}.\n`)
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({govcloud: false, 'jira-base-url': 'https://issues.example.com'})
    const unset = await backplane(['config', 'get', 'url'], env)
    expect(unset.code).to.equal(0)
    expect(unset.stdout).to.equal('url: \n')
    const bare = await backplane(['config', 'get', 'url', '--value-only'], env)
    expect(bare.stdout).to.equal('')
    expect(bare.stderr).to.equal(`url is not set in ${file}\n`)
  })

  it('masks secret values and proxy passwords unless --reveal', async () => {
    const h = freshHome()
    expect((await backplane(['config', 'set', 'pd-key', 'pd-s3cret-key'], h.env)).stdout).to.equal(`Set pd-key to ******** in ${h.file}.\n`)
    expect((await backplane(['config', 'set', 'proxy-url', 'http://sre:pr0xy-pass@squid:3128'], h.env)).stdout).not.to.include('pr0xy-pass')
    expect((await backplane(['config', 'get', 'pd-key'], h.env)).stdout).to.equal('pd-key: ********\n')
    expect((await backplane(['config', 'get', 'pd-key', '--reveal', '--value-only'], h.env)).stdout).to.equal('pd-s3cret-key\n')
    expect((await backplane(['config', 'get', 'proxy-url'], h.env)).stdout).to.equal('proxy-url: http://sre:********@squid:3128\n')
    const all = await backplane(['config', 'get', 'all', '--json'], h.env)
    expect(all.stdout).not.to.include('pd-s3cret-key').and.not.to.include('pr0xy-pass')
    const revealed = JSON.parse((await backplane(['config', 'get', 'all', '--json', '--reveal'], h.env)).stdout)
    expect(revealed.values).to.include({'pd-key': 'pd-s3cret-key'})
  })

  it('ca-file must exist and hold a PEM certificate; it is stored as an absolute path', async () => {
    const h = freshHome()
    const missing = await backplane(['config', 'set', 'ca-file', join(h.home, 'nope.pem')], h.env)
    expectOneErrorLine(missing, 1, /CA file .*nope\.pem does not exist/)
    expect(existsSync(h.file)).to.equal(false)
    const pem = join(h.home, 'ca.pem')
    writeFileSync(pem, readFileSync(new URL('../../src/simulator/certs.ts', import.meta.url), 'utf8').match(/-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----/)![0])
    const ok = await backplane(['config', 'set', 'ca-file', pem], h.env)
    expect(ok.code, ok.stderr).to.equal(0)
    expect(JSON.parse(readFileSync(h.file, 'utf8'))['ca-file']).to.equal(pem)
  })
})

describe('config: bad input', function () {
  this.timeout(60_000)

  it('unknown keys are usage errors listing the valid keys', async () => {
    const h = freshHome()
    for (const args of [['config', 'get', 'proxy'], ['config', 'set', 'proxy', 'http://x']]) {
      const r = await backplane(args, h.env)
      expectOneErrorLine(r, 2, /unknown config key "proxy" — valid keys: url, proxy-url, aws-proxy, ca-file, display-cluster-info, disable-kube-ps1-warning, show-other-sessions, govcloud, session-dir, pd-key, pagerduty-api-url, jira-token, jira-email, vpn-check-endpoint/)
    }

    expect(existsSync(h.file)).to.equal(false)
  })

  it('bad values are usage errors and leave the file as it was', async () => {
    const h = freshHome()
    expect((await backplane(['config', 'set', 'url', 'https://keep'], h.env)).code).to.equal(0)
    const before = readFileSync(h.file, 'utf8')
    const cases: Array<[string[], RegExp]> = [
      [['config', 'set', 'url', 'ftp://x'], /invalid url "ftp:\/\/x": not an http\(s\) URL/],
      [['config', 'set', 'proxy-url', 'http://ok:1,nope'], /invalid proxy-url entry "nope"/],
      [['config', 'set', 'display-cluster-info', 'maybe'], /invalid value "maybe" for display-cluster-info — give true or false/],
      [['config', 'set', 'url'], /Missing 1 required arg: value/],
      [['config', 'get'], /Missing 1 required arg: key/],
      [['config', 'set', 'url', 'https://x', 'extra'], /Unexpected argument: extra/],
      [['config', 'get', 'url', '--nope'], /Nonexistent flag: --nope/],
    ]
    for (const [args, pattern] of cases) expectOneErrorLine(await backplane(args, h.env), 2, pattern)
    expect(readFileSync(h.file, 'utf8')).to.equal(before)
  })

  it('a broken config file: one clear line, and set does not overwrite it', async () => {
    const h = freshHome()
    const file = join(h.home, 'broken.json')
    const env = {...h.env, BACKPLANE_CONFIG: file}
    for (const [content, pattern] of [
      ['{"url": "https://x",', /backplane config .*broken\.json is not valid JSON/],
      ['[1, 2]', /must hold a JSON object/],
    ] as const) {
      writeFileSync(file, content)
      expectOneErrorLine(await backplane(['config', 'get', 'url'], env), 1, pattern)
      expectOneErrorLine(await backplane(['config', 'set', 'url', 'https://y'], env), 1, pattern)
      expect(readFileSync(file, 'utf8')).to.equal(content)
    }

    // A wrong type fails get for that key (naming it), but set can fix it.
    writeFileSync(file, JSON.stringify({'display-cluster-info': 'yes', url: 'https://x'}))
    expectOneErrorLine(await backplane(['config', 'get', 'display-cluster-info'], env), 1, /"display-cluster-info" must be true or false, not a string/)
    expect((await backplane(['config', 'get', 'url'], env)).stdout).to.equal('url: https://x\n')
    expect((await backplane(['config', 'set', 'display-cluster-info', 'false'], env)).code).to.equal(0)
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({'display-cluster-info': false, url: 'https://x'})
  })
})

describe('config: used by login', function () {
  this.timeout(60_000)
  const s = useSimulator()

  it('display-cluster-info set through config makes login print the cluster details', async () => {
    const u = userHome(s.sim)
    expect((await backplane(['config', 'set', 'display-cluster-info', 'true'], u.env)).code).to.equal(0)
    const r = await backplane(['login', SEED.gcp.name], u.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(new RegExp(`Cluster ID: +${SEED.gcp.id}`)).and.match(/Provider: +gcp/)
    // The simulator's ca-file survived the edit.
    expect(JSON.parse(readFileSync(u.env.BACKPLANE_CONFIG!, 'utf8'))['ca-file']).to.equal(s.sim.caFile)
  })
})
