import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, outputFlag} from '../../flags.js'
import {cloudCredentials, CREDENTIAL_FORMATS, formatCloudCredentials} from '../../lib/workflows/cloud/credentials.js'

export default class CloudCredentials extends BaseCommand {
  static aliases = ['cloud:creds', 'cloud:cred']

  static args = {
    cluster: Args.string({description: 'cluster id, external id, name, or name pattern (%prod%); default: the current backplane context'}),
  }

  static description = `Print temporary credentials for the cloud account of a cluster (GET /backplane/cloud/credentials/{clusterId}).

AWS clusters get STS credentials (access key, secret key, session token, region, expiry); GCP clusters get their project. Without a cluster argument, the cluster of the current backplane context is used. The credentials go to stdout only, and never into the request trace.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Credentials for the cluster you are logged in to'},
    {command: 'eval "$(<%= config.bin %> <%= command.id %> my-cluster -o env)"', description: 'Export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_DEFAULT_REGION and AWS_REGION into this shell'},
    {command: '<%= config.bin %> <%= command.id %> my-cluster -o json', description: 'As JSON (the same field names as the Go backplane-cli)'},
  ]

  static flags = {
    ...backplaneFlags,
    ...outputFlag(CREDENTIAL_FORMATS, 'output format (env: export lines for a shell)'),
  }

  static summary = "Print temporary credentials for a cluster's cloud account"

  async run(): Promise<Record<string, unknown>> {
    const {args, flags} = await this.parse(CloudCredentials)

    const target = await this.targetCluster(args.cluster, {
      hint: "name a cluster ('backplane cloud credentials <cluster>'), or log in with 'backplane login <cluster>'",
    })
    const {cluster, credentials} = await cloudCredentials(this.services, target)
    const data = credentials.provider === 'aws' ? credentials.aws : credentials.gcp
    const json = {clusterId: cluster.id, clusterName: cluster.name, credentials: data, provider: credentials.provider}
    if (!this.jsonEnabled()) this.log(await formatCloudCredentials(credentials, flags.output))
    return json
  }
}
