import type {Services} from '../../services.js'

import {fetchCloudCredentials} from '../../backplane/cloud-credentials.js'
import {CliError} from '../../errors.js'
import {shellWord} from '../../shell.js'
import type {TargetCluster} from '../target-cluster.js'

export const CREDENTIAL_FORMATS = ['text', 'json', 'yaml', 'env'] as const
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number]

/** AWS credentials, with the field names the Go backplane-cli prints (so scripts keep working). */
export interface AwsCredentials {
  AccessKeyID: string
  Expiration: string
  Region: string
  SecretAccessKey: string
  SessionToken: string
}

export interface GcpCredentials {
  project_id: string
}

export type CloudCredentials = {provider: 'aws'; aws: AwsCredentials} | {provider: 'gcp'; gcp: GcpCredentials}

const BAD_CREDENTIALS_HINT = 'backplane sent credentials this CLI cannot read: retry, or report it to the backplane team'

/** Case-insensitive field lookup (backplane sends `AccessKeyId`, Go prints `AccessKeyID`). */
function field(data: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(data).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : data[key]
}

/**
 * The `credentials` string of a CloudCredentialsResponse → typed credentials for the cluster's provider.
 * Errors never quote the credentials themselves.
 */
export function parseCloudCredentials(provider: string | undefined, credentials: string, region?: string): CloudCredentials {
  let data: unknown
  try {
    data = JSON.parse(credentials)
  } catch {
    throw new CliError('backplane answered with cloud credentials that are not JSON', {code: 'BAD_RESPONSE', hint: BAD_CREDENTIALS_HINT})
  }

  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError('backplane answered with cloud credentials that are not a JSON object', {code: 'BAD_RESPONSE', hint: BAD_CREDENTIALS_HINT})
  }

  const obj = data as Record<string, unknown>
  const str = (name: string, required: boolean): string => {
    const value = field(obj, name)
    if (typeof value === 'string' && value !== '') return value
    if (!required && (value === undefined || value === null || value === '')) return ''
    throw new CliError(`backplane answered with ${provider?.toUpperCase()} credentials without a valid ${name}`, {code: 'BAD_RESPONSE', hint: BAD_CREDENTIALS_HINT})
  }

  if (provider === 'aws') {
    return {
      aws: {
        AccessKeyID: str('AccessKeyId', true),
        Expiration: str('Expiration', false),
        Region: region || str('Region', false),
        SecretAccessKey: str('SecretAccessKey', true),
        SessionToken: str('SessionToken', true),
      },
      provider,
    }
  }

  if (provider === 'gcp') return {gcp: {project_id: str('project_id', true)}, provider}
  throw unsupportedProvider(provider)
}

function unsupportedProvider(provider: string | undefined): CliError {
  return new CliError(`cloud credentials are not supported for cloud provider "${provider ?? 'unknown'}"`, {
    code: 'UNSUPPORTED',
    hint: 'only AWS and GCP clusters have cloud credentials',
  })
}

/** A value as a shell word: bare when safe, else single-quoted. */
/** The credentials as -o text|json|yaml|env print them (without the final newline). */
export async function formatCloudCredentials(creds: CloudCredentials, format: CredentialFormat): Promise<string> {
  const data = creds.provider === 'aws' ? creds.aws : creds.gcp
  if (format === 'json') return JSON.stringify(data, null, 2)
  if (format === 'yaml') {
    const {stringify} = await import('yaml')
    return stringify(data).trimEnd()
  }

  if (creds.provider === 'gcp') {
    const project = creds.gcp.project_id
    return format === 'env'
      ? `export CLOUDSDK_CORE_PROJECT=${shellWord(project)}`
      : `If this is your first time, run "gcloud auth login" and then\ngcloud config set project ${shellWord(project)}`
  }

  const a = creds.aws
  if (format === 'env') {
    return [
      `export AWS_ACCESS_KEY_ID=${shellWord(a.AccessKeyID)}`,
      `export AWS_SECRET_ACCESS_KEY=${shellWord(a.SecretAccessKey)}`,
      `export AWS_SESSION_TOKEN=${shellWord(a.SessionToken)}`,
      `export AWS_DEFAULT_REGION=${shellWord(a.Region)}`,
      `export AWS_REGION=${shellWord(a.Region)}`,
    ].join('\n')
  }

  return [
    'Temporary Credentials:',
    `  AccessKeyID: ${a.AccessKeyID}`,
    `  SecretAccessKey: ${a.SecretAccessKey}`,
    `  SessionToken: ${a.SessionToken}`,
    `  Region: ${a.Region}`,
    `  Expires: ${a.Expiration}`,
  ].join('\n')
}

export interface CloudCredentialsResult {
  cluster: {id: string; name: string}
  credentials: CloudCredentials
}

/**
 * Temporary cloud credentials for a cluster (named, or the current backplane context's: see targetCluster).
 * The provider comes from OCM; the credentials from backplane.
 */
export async function cloudCredentials(services: Services, target: TargetCluster): Promise<CloudCredentialsResult> {
  const cluster = target.cluster ?? (await services.clusters.get(target.id))
  const provider = cluster.cloud_provider?.id
  if (provider !== 'aws' && provider !== 'gcp') throw unsupportedProvider(provider)
  const backplane = await services.backplane()
  const answer = await fetchCloudCredentials(backplane, cluster.id)
  const credentials = parseCloudCredentials(provider, answer.credentials, answer.region || cluster.region?.id)
  return {cluster: {id: cluster.id, name: cluster.name}, credentials}
}
