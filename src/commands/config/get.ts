import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {BACKPLANE_CONFIG_KEYS, type ConfigKeySpec} from '../../lib/backplane/config.js'
import {configValueText, getConfigValues, requireConfigKey, type ConfigGetResult} from '../../lib/backplane/config-edit.js'
import {usageError} from '../../lib/errors.js'

export default class ConfigGet extends BaseCommand {
  static args = {
    key: Args.string({description: `a config key (${BACKPLANE_CONFIG_KEYS.map((k) => k.key).join(', ')}), or "all"`, required: true}),
  }

  static description = `Print a value of the backplane config ($BACKPLANE_CONFIG, else ~/.config/backplane/config.json), or every key with "all".

Prints "key: value" lines, as Go ocm-backplane does ("key: " when unset); --value-only prints the bare value (nothing when unset), for scripts. Secret keys (pd-key, jira-token) and passwords inside proxy URLs are masked unless --reveal. A list (proxy-url) prints comma-separated, as 'config set' takes it.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> proxy-url', description: 'Print "proxy-url: <value>"'},
    {command: 'PROXY=$(<%= config.bin %> <%= command.id %> proxy-url --value-only)', description: 'Just the value, for a script'},
    {command: '<%= config.bin %> <%= command.id %> all', description: 'Print every key'},
    {command: '<%= config.bin %> <%= command.id %> pd-key --reveal', description: 'Print a secret key unmasked'},
  ]

  static flags = {
    reveal: Flags.boolean({description: 'show secret values (pd-key, jira-token, proxy passwords) instead of masking them'}),
    'value-only': Flags.boolean({description: 'print only the value (nothing when unset), not "key: value"'}),
  }

  static summary = 'Print a backplane config value (or all of them)'

  async run(): Promise<ConfigGetResult> {
    const {args, flags} = await this.parse(ConfigGet)
    const all = args.key.trim() === 'all'
    if (all && flags['value-only']) throw usageError('--value-only takes one key, not all', 'name the key, e.g. config get proxy-url --value-only')
    const specs: ConfigKeySpec[] = all ? [...BACKPLANE_CONFIG_KEYS] : [requireConfigKey(args.key, true)]
    const result = await getConfigValues(process.env, specs, flags.reveal)
    if (this.jsonEnabled()) return result

    const value = result.values[specs[0].key]
    if (flags['value-only']) {
      if (value === null) this.note(`${specs[0].key} is not set in ${result.path}`)
      else this.log(configValueText(value))
    } else {
      // Go's `key: value` lines, unpadded, "key: " when unset.
      for (const [k, v] of Object.entries(result.values)) this.log(`${k}: ${v === null ? '' : configValueText(v)}`)
    }

    return result
  }
}
