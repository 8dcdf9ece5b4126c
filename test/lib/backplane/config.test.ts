import {expect} from 'chai'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  configValueText,
  displayConfigValue,
  getConfigValues,
  maskUrlPassword,
  parseConfigInput,
  requireConfigKey,
  setConfigValue,
} from '../../../src/lib/backplane/config-edit.js'
import {
  BACKPLANE_CONFIG_KEYS,
  configKeySpec,
  isGovcloud,
  loadBackplaneConfig,
  pagerDutyKey,
  parseGoBool,
  readConfigValue,
  sessionDirectory,
} from '../../../src/lib/backplane/config.js'
import {CliError} from '../../../src/lib/errors.js'
import {thrownCliError} from '../../support/expect.js'

function spec(key: string) {
  const s = configKeySpec(key)
  if (!s) throw new Error(`no spec for ${key}`)
  return s
}

function tempConfig(content?: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'bp-config-'))
  const path = join(dir, 'config.json')
  if (content !== undefined) writeFileSync(path, content)
  return {BACKPLANE_CONFIG: path, HOME: dir}
}

describe('backplane config keys', () => {
  it('has the keys the issue names, each with one type', () => {
    const types = Object.fromEntries(BACKPLANE_CONFIG_KEYS.map((k) => [k.key, k.type]))
    expect(types).to.include({'ca-file': 'path', 'display-cluster-info': 'boolean', 'proxy-url': 'url-list', 'session-dir': 'home-path', url: 'url'})
    expect(BACKPLANE_CONFIG_KEYS.filter((k) => 'secret' in k && k.secret).map((k) => k.key)).to.deep.equal(['pd-key', 'jira-token'])
  })

  it("Go's keys with Go's meaning: govcloud/GOVCLOUD, session-dir under $HOME, no PagerDuty in govcloud", () => {
    expect(['1', 't', 'T', 'TRUE', 'true', 'True'].map((v) => parseGoBool(v))).to.deep.equal(Array.from({length: 6}, () => true))
    expect(['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v) => parseGoBool(v))).to.deep.equal(Array.from({length: 6}, () => false))
    expect(['yes', 'tRue', '', '2'].map((v) => parseGoBool(v))).to.deep.equal([undefined, undefined, undefined, undefined])
    expect(isGovcloud({}, {})).to.equal(false)
    expect(isGovcloud({govcloud: true}, {})).to.equal(true)
    expect(isGovcloud({govcloud: true}, {GOVCLOUD: 'false'})).to.equal(false)
    expect(isGovcloud({}, {GOVCLOUD: 'T'})).to.equal(true)
    // viper's GetBool: what strconv cannot read is false.
    expect(isGovcloud({}, {GOVCLOUD: 'maybe'})).to.equal(false)
    expect(sessionDirectory({}, {HOME: '/home/sre'})).to.equal('/home/sre/backplane')
    expect(sessionDirectory({'session-dir': 'work/sessions'}, {HOME: '/home/sre'})).to.equal('/home/sre/work/sessions')
    expect(sessionDirectory({'session-dir': '/var/tmp/bp'}, {HOME: '/home/sre'})).to.equal('/var/tmp/bp')
    expect(pagerDutyKey({'pd-key': 'k'}, {})).to.equal('k')
    expect(pagerDutyKey({govcloud: true, 'pd-key': 'k'}, {})).to.equal(undefined)
  })

  it('an unknown key is a usage error listing the valid keys', () => {
    const error = thrownCliError(() => requireConfigKey('proxy'))
    expect(error.exitCode).to.equal(2)
    expect(error.line).to.equal('unknown config key "proxy" — valid keys: url, proxy-url, aws-proxy, ca-file, display-cluster-info, disable-kube-ps1-warning, show-other-sessions, govcloud, session-dir, pd-key, pagerduty-api-url, jira-token, jira-email, vpn-check-endpoint, proxy-check-endpoint, prod-env-name, jira-base-url, assume-initial-arn')
    expect(thrownCliError(() => requireConfigKey('nope', true)).line).to.match(/\(or all\)$/)
    expect(requireConfigKey(' url ').key).to.equal('url')
  })

  it('parses what `config set` is given, per type', () => {
    expect(parseConfigInput(spec('url'), 'https://bp.example.com/')).to.equal('https://bp.example.com')
    expect(parseConfigInput(spec('proxy-url'), ' http://a:3128 ,http://b:3128,, ')).to.deep.equal(['http://a:3128', 'http://b:3128'])
    expect(parseConfigInput(spec('proxy-url'), 'http://a:3128')).to.deep.equal(['http://a:3128'])
    // Every spelling Go's strconv.ParseBool takes (Go's config set govcloud), and yes/no/on/off.
    for (const yes of ['1', 't', 'T', 'TRUE', 'true', 'True', 'yes', 'on']) expect(parseConfigInput(spec('govcloud'), yes)).to.equal(true)
    for (const no of ['0', 'f', 'F', 'FALSE', 'false', 'False', 'No', 'off']) expect(parseConfigInput(spec('display-cluster-info'), no)).to.equal(false)
    // session-dir is kept as typed: Go reads it relative to $HOME, not to where config set ran.
    expect(parseConfigInput(spec('session-dir'), 'sessions', '/home/sre')).to.equal('sessions')
    expect(parseConfigInput(spec('ca-file'), '/etc/pki/ca.pem', '/home/sre')).to.equal('/etc/pki/ca.pem')
    expect(parseConfigInput(spec('pd-key'), ' k3y ')).to.equal('k3y')
    // An empty value means: remove the key.
    for (const key of ['url', 'proxy-url', 'display-cluster-info', 'session-dir']) expect(parseConfigInput(spec(key), '  ')).to.equal(undefined)
    expect(parseConfigInput(spec('proxy-url'), ' , ')).to.equal(undefined)
  })

  it('rejects bad values with a usage error saying what is expected', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['url', 'ftp://bp.example.com', /^invalid url "ftp:\/\/bp.example.com": not an http\(s\) URL — give an http/],
      ['url', 'not a url', /^invalid url "not a url" — /],
      ['proxy-url', 'http://a:3128,socks5://b:1080', /^invalid proxy-url entry "socks5:\/\/b:1080": not an http\(s\) URL/],
      ['display-cluster-info', 'maybe', /^invalid value "maybe" for display-cluster-info — give true or false$/],
    ]
    for (const [key, input, pattern] of cases) {
      const error = thrownCliError(() => parseConfigInput(spec(key), input))
      expect(error.exitCode, `${key} ${input}`).to.equal(2)
      expect(error.line).to.match(pattern)
    }
  })

  it('reads file values per type, and names the file and the type on a mismatch', () => {
    expect(readConfigValue(spec('proxy-url'), 'http://a:3128', '/c.json')).to.deep.equal(['http://a:3128'])
    expect(readConfigValue(spec('proxy-url'), ['http://a', ''], '/c.json')).to.deep.equal(['http://a'])
    expect(readConfigValue(spec('display-cluster-info'), false, '/c.json')).to.equal(false)
    expect(readConfigValue(spec('url'), null, '/c.json')).to.equal(undefined)
    expect(readConfigValue(spec('url'), '', '/c.json')).to.equal(undefined)
    expect(thrownCliError(() => readConfigValue(spec('display-cluster-info'), 'true', '/c.json')).message).to.equal('backplane config /c.json: "display-cluster-info" must be true or false, not a string')
    expect(thrownCliError(() => readConfigValue(spec('proxy-url'), [1], '/c.json')).message).to.match(/"proxy-url" must be a string or a list of strings, not a list/)
    expect(thrownCliError(() => readConfigValue(spec('url'), {}, '/c.json')).message).to.match(/"url" must be a string, not an object/)
  })

  it('the loader uses the same definitions and ignores unknown keys', async () => {
    const env = tempConfig(JSON.stringify({'display-cluster-info': true, other: {kept: 1}, 'pd-key': 'k', 'proxy-url': 'http://p:1', url: 'https://bp'}))
    const {config} = await loadBackplaneConfig(env)
    expect(config).to.deep.equal({'display-cluster-info': true, 'pd-key': 'k', 'proxy-url': ['http://p:1'], url: 'https://bp'})
    try {
      await loadBackplaneConfig(tempConfig('{"session-dir": 5}'))
      expect.fail('should throw')
    } catch (error) {
      expect((error as CliError).message).to.match(/"session-dir" must be a string, not a number/)
    }
  })

  it('masks secrets and proxy passwords for display unless revealed', () => {
    expect(maskUrlPassword('http://sre:s3cret@proxy.corp:3128')).to.equal('http://sre:********@proxy.corp:3128')
    expect(maskUrlPassword('http://proxy.corp:3128/')).to.equal('http://proxy.corp:3128/')
    expect(maskUrlPassword('http://sre@proxy.corp:3128')).to.equal('http://sre@proxy.corp:3128')
    expect(displayConfigValue(spec('pd-key'), 'abc', false)).to.equal('********')
    expect(displayConfigValue(spec('pd-key'), 'abc', true)).to.equal('abc')
    expect(displayConfigValue(spec('pd-key'), undefined, false)).to.equal(undefined)
    expect(displayConfigValue(spec('proxy-url'), ['http://a:b@p:1', 'http://q:2'], false)).to.deep.equal(['http://a:********@p:1', 'http://q:2'])
    expect(configValueText(['http://a', 'http://b'])).to.equal('http://a,http://b')
    expect(configValueText(false)).to.equal('false')
  })

  it('set changes one key, keeps the others (unknown ones too), writes 0600; get reads it back', async () => {
    const env = tempConfig(JSON.stringify({future: {x: [1, 2]}, 'pd-key': 'k', url: 'https://old'}))
    await setConfigValue(env, spec('proxy-url'), 'http://a:3128,http://b:3128')
    await setConfigValue(env, spec('url'), 'https://new/')
    await setConfigValue(env, spec('pd-key'), '')
    const file = env.BACKPLANE_CONFIG!
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({future: {x: [1, 2]}, 'proxy-url': ['http://a:3128', 'http://b:3128'], url: 'https://new'})
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    await setConfigValue(env, spec('proxy-url'), 'http://only:3128')
    expect(JSON.parse(readFileSync(file, 'utf8'))['proxy-url']).to.equal('http://only:3128')
    const got = await getConfigValues(env, [...BACKPLANE_CONFIG_KEYS], false)
    expect(got.values).to.deep.include({'pd-key': null, 'proxy-url': ['http://only:3128'], url: 'https://new'})
  })
})
