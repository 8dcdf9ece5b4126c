import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {BACKPLANE_CONFIG_KEYS} from '../../lib/backplane/config.js'
import {configValueText, displayConfigValue, requireConfigKey, setConfigValue, type ConfigSetResult} from '../../lib/backplane/config-edit.js'

export default class ConfigSet extends BaseCommand {
  static args = {
    key: Args.string({description: `a config key: ${BACKPLANE_CONFIG_KEYS.map((k) => k.key).join(', ')}`, required: true}),
    value: Args.string({description: 'the new value; "" removes the key', required: true}),
  }

  static description = `Set one key of the backplane config ($BACKPLANE_CONFIG, else ~/.config/backplane/config.json).

Keys: ${BACKPLANE_CONFIG_KEYS.map((k) => `${k.key} (${k.description})`).join('; ')}.

The file is rewritten atomically with mode 0600; every other key, including ones this CLI does not know, is kept. URLs must be http(s); proxy-url takes a comma-separated list; display-cluster-info takes true or false; paths are made absolute; ca-file must hold a PEM certificate. An empty value removes the key.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %> url https://backplane.example.com', description: 'Set the backplane URL'},
    {command: '<%= config.bin %> <%= command.id %> proxy-url http://squid-1.corp:3128,http://squid-2.corp:3128', description: 'Set a list of proxies'},
    {command: '<%= config.bin %> <%= command.id %> display-cluster-info true', description: 'Always print cluster details after login'},
    {command: '<%= config.bin %> <%= command.id %> proxy-url ""', description: 'Remove a key'},
  ]

  static summary = 'Set a backplane config value'

  async run(): Promise<ConfigSetResult> {
    const {args} = await this.parse(ConfigSet)
    const spec = requireConfigKey(args.key)
    const result = await setConfigValue(process.env, spec, args.value)
    if (!this.jsonEnabled()) {
      this.log(result.value === null ? `Removed ${result.key} from ${result.path}.` : `Set ${result.key} to ${configValueText(displayConfigValue(spec, result.value, false))} in ${result.path}.`)
    }

    return result
  }
}
