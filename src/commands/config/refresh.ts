import {BaseCommand} from '../../base-command.js'
import {backplaneFlags} from '../../flags.js'
import {refreshConfig, type RefreshResult, SERVER_MANAGED_KEYS} from '../../lib/backplane/config-refresh.js'
import {cellText} from '../../lib/output/table.js'

export default class ConfigRefresh extends BaseCommand {
  static description = `Fetch the client configuration from backplane (GET /backplane/config) and write its server-managed keys into the backplane config: ${SERVER_MANAGED_KEYS.map(([, key]) => key).join(', ')}.

Only the keys the server sends are overwritten; every other key (url, proxy-url, pd-key, …) stays byte for byte as it was. Prints what changed.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Update the server-managed keys'},
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'As {path, received, changed: [{key, before, after}]}'},
  ]

  static flags = {...backplaneFlags}

  static summary = 'Refresh the server-managed config keys from backplane'

  async run(): Promise<RefreshResult> {
    await this.parse(ConfigRefresh)
    const result = await refreshConfig(await this.services.backplane(), process.env)
    if (this.jsonEnabled()) return result
    if (result.received.length === 0) this.warnLine('backplane sent no server-managed keys: nothing changed')
    for (const c of result.changed) this.log(`${c.key}: ${show(c.before)} → ${show(c.after)}`)
    if (result.received.length > 0 && result.changed.length === 0) this.log(`Already up to date (${result.path})`)
    else if (result.changed.length > 0) this.log(`Saved ${result.path}`)
    return result
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(not set)'
  return cellText(typeof value === 'string' ? value : JSON.stringify(value))
}
