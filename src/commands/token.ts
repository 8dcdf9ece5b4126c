import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {execCredential} from '../lib/kube/exec-helper.js'
import {expiryOf} from '../lib/ocm/jwt.js'

export default class Token extends BaseCommand {
  static description = `Print a valid OCM access token, refreshing it (and saving the new one in the OCM config) when it expires within 60 seconds.

This is what the kubeconfig's token helper ($HOME/.kube/ocm-token) runs when ocm is not installed.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Print the token'},
    {command: '<%= config.bin %> <%= command.id %> --exec-credential', description: 'Print a client.authentication.k8s.io/v1 ExecCredential'},
    {command: 'curl -H "Authorization: Bearer $(<%= config.bin %> <%= command.id %>)" …', description: 'Use it in a request'},
  ]

  static flags = {
    'exec-credential': Flags.boolean({description: 'print a Kubernetes ExecCredential (JSON) with the token and its expiry'}),
  }

  static summary = 'Print a valid OCM access token'

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(Token)
    const token = await this.services.ocm.accessToken()
    if (flags['exec-credential']) {
      const credential = execCredential(token)
      if (!this.jsonEnabled()) this.log(JSON.stringify(credential))
      return credential
    }

    const expiry = expiryOf(token)
    if (!this.jsonEnabled()) this.log(token)
    return {accessToken: token, ...(expiry ? {expiresAt: expiry.toISOString()} : {})}
  }
}
