import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, outputFlag} from '../../flags.js'
import {cloudConsoleLink, type CloudConsoleLink, OUTPUT_FORMATS, renderCloudConsole} from '../../lib/workflows/cloud/console-link.js'
import {BROWSER_ENV, openInBrowser, wantsBrowser} from '../../lib/console/browser.js'

export default class CloudConsole extends BaseCommand {
  static aliases = ['cloud:link', 'cloud:web']

  static args = {
    cluster: Args.string({description: 'cluster id, external id, name, or name pattern (%prod%); default: the current backplane context'}),
  }

  static description = `Print a link to the cloud provider's web console for a cluster, signed in with temporary credentials.

The link comes from backplane (GET /backplane/cloud/console/{clusterId}). Without a cluster argument, the cluster of the current backplane context is used. With -b (or ${BROWSER_ENV}=true) the link is also opened in your browser.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'The cloud console of the cluster you are logged in to'},
    {command: '<%= config.bin %> <%= command.id %> my-cluster -b', description: 'Open the cloud console of a cluster in your browser'},
    {command: '<%= config.bin %> <%= command.id %> %prod-east% -o yaml', description: 'Print the link, cluster id and region as YAML'},
  ]

  static flags = {
    ...backplaneFlags,
    browser: Flags.boolean({char: 'b', description: `open the link in your browser (default: ${BROWSER_ENV})`}),
    'session-duration-minutes': Flags.integer({
      description: "Go's flag: how long the console session lasts (at most 60). Backplane's public API decides the link's lifetime, so it only matters to Go's isolated-access flow; accepted here and checked, as Go does",
      min: 1,
    }),
    ...outputFlag(OUTPUT_FORMATS, 'output format (--json is -o json; env is text, as in Go)'),
  }

  static summary = "Print (or open) a link to a cluster's cloud provider console"

  async run(): Promise<CloudConsoleLink> {
    const {args, flags} = await this.parse(CloudConsole)
    const browser = wantsBrowser(flags.browser, process.env)
    const minutes = flags['session-duration-minutes']
    if (minutes !== undefined && minutes > 60) this.warnLine('the session duration cannot exceed 60 minutes: 60 it is, as in Go')

    const link = await cloudConsoleLink(this.services, await this.targetCluster(args.cluster))
    if (browser) {
      try {
        await openInBrowser(link.consoleLink)
      } catch (error) {
        this.warnLine(`could not open a browser (${(error as Error).message}): open the link yourself`)
      }
    }

    if (this.jsonEnabled()) return link
    if (flags.output === 'json') this.logJson(link)
    else this.log(await renderCloudConsole(link, flags.output === 'yaml' ? 'yaml' : 'text'))
    return link
  }
}
