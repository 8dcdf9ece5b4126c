import {BaseCommand} from '../../base-command.js'
import {backplaneConfigPath} from '../../lib/backplane/config.js'

export default class ConfigPath extends BaseCommand {
  static description = 'Print the path of the backplane config file: $BACKPLANE_CONFIG, else ~/.config/backplane/config.json (whether or not it exists).'

  static enableJsonFlag = true

  static examples = [{command: '<%= config.bin %> <%= command.id %>', description: 'Print the path'}]

  static summary = 'Print the path of the backplane config file'

  async run(): Promise<{path: string}> {
    await this.parse(ConfigPath)
    const path = backplaneConfigPath(process.env)
    if (!this.jsonEnabled()) this.log(path)
    return {path}
  }
}
