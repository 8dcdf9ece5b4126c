import {BaseCommand} from '../../base-command.js'
import {backplaneFlags} from '../../flags.js'
import {checkLine} from '../../lib/diagnose/checks.js'
import {troubleshoot, type TroubleshootReport} from '../../lib/diagnose/troubleshoot.js'

export default class ConfigTroubleshoot extends BaseCommand {
  static description = `Print what backplane would use, and whether it works, one [V]/[X]/[-] line each:

  - the config file: its path, whether it exists and is valid JSON, and its mode;
  - the proxy: where it comes from (--proxy, HTTPS_PROXY, proxy-url) and whether it reaches backplane;
  - the backplane URL: where it comes from (--url, BACKPLANE_URL, url, the OCM environment);
  - the current kubeconfig context: whether it is a backplane one, and whether its proxy-url matches;
  - the OCM login: the access token's expiry, and whether a refresh works (the refreshed token is saved).

It ends with a command to try next (curl through the same proxy). Exit 1 when a line is [X].`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Everything at once'},
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'As {checks: [{check, ok, status, detail, hint}], suggestion}'},
  ]

  static flags = {...backplaneFlags}

  static summary = 'Show what backplane would use (config, proxy, URL, context, OCM login) and whether it works'

  async run(): Promise<TroubleshootReport> {
    await this.parse(ConfigTroubleshoot)
    const report = await troubleshoot(this.services)
    if (report.checks.some((c) => !c.ok)) process.exitCode = 1
    if (this.jsonEnabled()) return report
    for (const c of report.checks) this.log(checkLine(c))
    if (report.suggestion) this.log(`\nTo see the path to backplane yourself, run:\n  ${report.suggestion}`)
    return report
  }
}
