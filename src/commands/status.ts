import {BaseCommand} from '../base-command.js'
import {currentStatus, type StatusResult, statusLines} from '../lib/workflows/status.js'

export default class Status extends BaseCommand {
  static description = `Show the cluster of the current kubeconfig context: its id, name and base domain (from OCM), and the backplane server it goes through (the host of the context's server).

The output is four lines that shell prompts can parse, as Go ocm-backplane prints them (labels padded, values from column 21): "Cluster ID:         <id>", "Cluster Name:       <name>", "Cluster Basedomain: <domain>", "Backplane Server:   https://<host>"; while an elevation reason is cached (backplane elevate), a fifth: "Elevation: <reasons> (<n> minutes left)". A current context that is not a backplane one is an error.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Show the cluster you are logged in to'},
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'The same, as JSON'},
  ]

  static summary = 'Show the cluster of the current backplane context'

  async run(): Promise<StatusResult> {
    await this.parse(Status)
    const status = await currentStatus(this.services)
    if (!this.jsonEnabled()) for (const line of statusLines(status)) this.log(line)
    return status
  }
}
