import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {parse} from 'yaml'

import {type CloudCredentials, formatCloudCredentials, parseCloudCredentials} from '../../../../src/lib/workflows/cloud/credentials.js'
import {shellWord} from '../../../../src/lib/shell.js'
import {thrownCliError} from '../../../support/expect.js'

const STS = {
  AccessKeyId: 'ASIAEXAMPLE0000001',
  Expiration: '2030-01-01T00:00:00Z',
  SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  SessionToken: 'FwoGZXIvYXdzE+abc/def==',
}

describe('cloud credentials', () => {
  it('parses AWS STS credentials (any key case), the region from the answer', () => {
    const c = parseCloudCredentials('aws', JSON.stringify(STS), 'eu-west-1')
    expect(c).to.deep.equal({
      aws: {AccessKeyID: STS.AccessKeyId, Expiration: STS.Expiration, Region: 'eu-west-1', SecretAccessKey: STS.SecretAccessKey, SessionToken: STS.SessionToken},
      provider: 'aws',
    })
    const goStyle = parseCloudCredentials('aws', JSON.stringify({accesskeyid: 'A', region: 'us-west-2', secretaccesskey: 'S', sessiontoken: 'T'}))
    expect(goStyle).to.deep.equal({aws: {AccessKeyID: 'A', Expiration: '', Region: 'us-west-2', SecretAccessKey: 'S', SessionToken: 'T'}, provider: 'aws'})
  })

  it('parses GCP credentials as the project', () => {
    expect(parseCloudCredentials('gcp', '{"project_id": "my-proj"}')).to.deep.equal({gcp: {project_id: 'my-proj'}, provider: 'gcp'})
  })

  it('rejects unreadable credentials without quoting them', () => {
    const cases: Array<[string | undefined, string, RegExp]> = [
      ['aws', '{"AccessKeyId": "AKIA", "SecretAccessKey": "s3cr3t-value"', /cloud credentials that are not JSON/],
      ['aws', '["s3cr3t-value"]', /not a JSON object/],
      ['aws', '{"AccessKeyId": "AKIA", "SecretAccessKey": "s3cr3t-value"}', /AWS credentials without a valid SessionToken/],
      ['aws', '{"AccessKeyId": 5, "SecretAccessKey": "s3cr3t-value", "SessionToken": "t"}', /without a valid AccessKeyId/],
      ['gcp', '{"project": "s3cr3t-value"}', /GCP credentials without a valid project_id/],
      ['azure', '{"s3cr3t-value": 1}', /not supported for cloud provider "azure" — only AWS and GCP/],
      [undefined, '{}', /not supported for cloud provider "unknown"/],
    ]
    for (const [provider, text, pattern] of cases) {
      const error = thrownCliError(() => parseCloudCredentials(provider, text))
      expect(error.line).to.match(pattern)
      expect(error.line).not.to.include('s3cr3t-value')
      expect(error.exitCode).to.equal(1)
    }
  })

  const aws: CloudCredentials = parseCloudCredentials('aws', JSON.stringify(STS), 'us-east-1')
  const gcp: CloudCredentials = parseCloudCredentials('gcp', '{"project_id": "my-proj"}')

  it('formats AWS as a block, as export lines, as JSON and as YAML', async () => {
    expect(await formatCloudCredentials(aws, 'text')).to.equal(
      [
        'Temporary Credentials:',
        `  AccessKeyID: ${STS.AccessKeyId}`,
        `  SecretAccessKey: ${STS.SecretAccessKey}`,
        `  SessionToken: ${STS.SessionToken}`,
        '  Region: us-east-1',
        `  Expires: ${STS.Expiration}`,
      ].join('\n'),
    )
    expect(await formatCloudCredentials(aws, 'env')).to.equal(
      [
        `export AWS_ACCESS_KEY_ID=${STS.AccessKeyId}`,
        `export AWS_SECRET_ACCESS_KEY=${STS.SecretAccessKey}`,
        `export AWS_SESSION_TOKEN=${STS.SessionToken}`,
        'export AWS_DEFAULT_REGION=us-east-1',
        'export AWS_REGION=us-east-1',
      ].join('\n'),
    )
    const fields = {AccessKeyID: STS.AccessKeyId, Expiration: STS.Expiration, Region: 'us-east-1', SecretAccessKey: STS.SecretAccessKey, SessionToken: STS.SessionToken}
    expect(JSON.parse(await formatCloudCredentials(aws, 'json'))).to.deep.equal(fields)
    expect(parse(await formatCloudCredentials(aws, 'yaml'))).to.deep.equal(fields)
  })

  it('formats GCP as the gcloud hint, the CLOUDSDK_CORE_PROJECT export, JSON and YAML', async () => {
    expect(await formatCloudCredentials(gcp, 'text')).to.equal('If this is your first time, run "gcloud auth login" and then\ngcloud config set project my-proj')
    expect(await formatCloudCredentials(gcp, 'env')).to.equal('export CLOUDSDK_CORE_PROJECT=my-proj')
    expect(JSON.parse(await formatCloudCredentials(gcp, 'json'))).to.deep.equal({project_id: 'my-proj'})
    expect(parse(await formatCloudCredentials(gcp, 'yaml'))).to.deep.equal({project_id: 'my-proj'})
  })

  it('export lines are safe for a shell whatever the values hold', async () => {
    expect(shellWord('abc+/=')).to.equal('abc+/=')
    expect(shellWord("it's $HOME; rm -rf")).to.equal("'it'\\''s $HOME; rm -rf'")
    const odd = parseCloudCredentials('aws', JSON.stringify({AccessKeyId: 'A B', SecretAccessKey: "x'$(touch /tmp/pwned)`y`", SessionToken: 'tok;en'}), 'r"1')
    const script = `${await formatCloudCredentials(odd, 'env')}\nprintf '%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_DEFAULT_REGION"`
    expect(execFileSync('bash', ['-c', script]).toString()).to.equal("A B|x'$(touch /tmp/pwned)`y`|tok;en|r\"1")
  })
})
