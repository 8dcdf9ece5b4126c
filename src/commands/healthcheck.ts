import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {backplaneFlags} from '../flags.js'
import {type CheckResult, checkLine} from '../lib/diagnose/checks.js'
import {healthcheck} from '../lib/diagnose/healthcheck.js'

export default class Healthcheck extends BaseCommand {
  static aliases = ['healthCheck', 'health-check', 'healthchecks']

  static description = `Check the network path to backplane, in this order:

  1. VPN: a network interface named tun*, tap*, ppp*, wg* or utun* is up, and vpn-check-endpoint (config) answers 200.
  2. Proxy: proxy-check-endpoint (config; default <backplane>/healthz) answers 200 through the proxy — every entry of a proxy-url list is tried at once, and the line says which answered.
  3. Backplane API: the backplane URL answers, through the proxy that worked.

One line per check ([V] passed, [X] failed, [-] skipped), ending with the time it took; a failed line says what to do next. Exit 1 when any check fails.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'All three checks'},
    {command: '<%= config.bin %> <%= command.id %> --vpn', description: 'Only the VPN check'},
    {command: '<%= config.bin %> <%= command.id %> --proxy --json', description: 'Only the proxy check, as [{check, ok, status, ms, detail}]'},
  ]

  static flags = {
    // A switch here (as in Go), not the proxy URL of other commands: BaseCommand leaves it out of the services.
    proxy: Flags.boolean({description: 'run only the proxy check'}),
    url: backplaneFlags.url,
    vpn: Flags.boolean({description: 'run only the VPN check'}),
  }

  static summary = 'Check VPN, proxy and backplane API connectivity from this machine'

  async run(): Promise<CheckResult[]> {
    const {flags} = await this.parse(Healthcheck)
    const results = await healthcheck(this.services, {proxy: flags.proxy, vpn: flags.vpn})
    if (results.some((r) => !r.ok)) process.exitCode = 1
    if (this.jsonEnabled()) return results
    for (const r of results) this.log(checkLine(r))
    return results
  }
}
