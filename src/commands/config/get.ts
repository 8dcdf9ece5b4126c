import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {BACKPLANE_CONFIG_KEYS, type ConfigKeySpec} from '../../lib/backplane/config.js'
import {configValueText, getConfigValues, requireConfigKey, type ConfigGetResult} from '../../lib/backplane/config-edit.js'
import {keyValueLines} from '../../lib/output/cluster-info.js'

export default class ConfigGet extends BaseCommand {
  static args = {
    key: Args.string({description: `a config key (${BACKPLANE_CONFIG_KEYS.map((k) => k.key).join(', ')}), or "all"`, required: true}),
  }

  static description = `Print a value of the backplane config ($BACKPLANE_CONFIG, else ~/.config/backplane/config.json), or every key with "all".

Secret keys (pd-key, jira-token) and passwords inside proxy URLs are masked unless --reveal. A list (proxy-url) prints comma-separated, as 'config set' takes it. An unset key prints nothing.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> url', description: 'Print the configured backplane URL'},
    {command: '<%= config.bin %> <%= command.id %> all', description: 'Print every key'},
    {command: '<%= config.bin %> <%= command.id %> pd-key --reveal', description: 'Print a secret key unmasked'},
  ]

  static flags = {
    reveal: Flags.boolean({description: 'show secret values (pd-key, jira-token, proxy passwords) instead of masking them'}),
  }

  static summary = 'Print a backplane config value (or all of them)'

  async run(): Promise<ConfigGetResult> {
    const {args, flags} = await this.parse(ConfigGet)
    const all = args.key.trim() === 'all'
    const specs: ConfigKeySpec[] = all ? [...BACKPLANE_CONFIG_KEYS] : [requireConfigKey(args.key, true)]
    const result = await getConfigValues(process.env, specs, flags.reveal)
    if (this.jsonEnabled()) return result

    if (all) {
      const lines = Object.fromEntries(Object.entries(result.values).map(([k, v]) => [k, v === null ? '(not set)' : configValueText(v)]))
      this.log(keyValueLines(lines))
    } else {
      const value = result.values[specs[0].key]
      if (value === null) this.note(`${specs[0].key} is not set in ${result.path}`)
      else this.log(configValueText(value))
    }

    return result
  }
}
