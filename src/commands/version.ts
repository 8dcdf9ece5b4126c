import {BaseCommand} from '../base-command.js'

export interface VersionInfo {
  arch: string
  node: string
  platform: string
  version: string
}

export default class Version extends BaseCommand {
  static description = `Print the version of this CLI, the Node.js version and the platform. The first line is what --version prints.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Version, Node.js version and platform'},
    {command: '<%= config.bin %> --version', description: 'Only the first line (fast: does not load the CLI framework)'},
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'As JSON'},
  ]

  static summary = 'Print the version, Node.js version and platform'

  async run(): Promise<VersionInfo> {
    await this.parse(Version)
    const info: VersionInfo = {arch: process.arch, node: process.version, platform: process.platform, version: this.config.version}
    if (!this.jsonEnabled()) {
      // The same first line as `backplane --version` (bin/run.js).
      this.log(`backplane/${info.version} ${info.platform}-${info.arch} node-${info.node}`)
      this.log(`Node.js: ${info.node}`)
      this.log(`Platform: ${info.platform} (${info.arch})`)
    }

    return info
  }
}
