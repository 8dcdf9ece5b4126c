import {BaseCommand} from '../base-command.js'

export interface VersionInfo {
  arch: string
  node: string
  platform: string
  version: string
}

export default class Version extends BaseCommand {
  static description = `Print the version of this CLI: the bare version, as Go ocm-backplane prints it (for scripts). With --verbose, also the line --version prints, the Node.js version and the platform.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'The bare version, e.g. 0.1.0'},
    {command: '<%= config.bin %> <%= command.id %> --verbose', description: 'Also the Node.js version and platform'},
    {command: '<%= config.bin %> --version', description: 'Only the first line (fast: does not load the CLI framework)'},
    {command: '<%= config.bin %> <%= command.id %> --json', description: 'As JSON'},
  ]

  static summary = 'Print the version (--verbose: also Node.js and platform)'

  async run(): Promise<VersionInfo> {
    const {flags} = await this.parse(Version)
    const info: VersionInfo = {arch: process.arch, node: process.version, platform: process.platform, version: this.config.version}
    if (!this.jsonEnabled()) {
      // Go's `version` prints the bare version: scripts compare it.
      this.log(info.version)
      if (flags.verbose) {
        // The line `backplane --version` prints (bin/run.js).
        this.log(`backplane/${info.version} ${info.platform}-${info.arch} node-${info.node}`)
        this.log(`Node.js: ${info.node}`)
        this.log(`Platform: ${info.platform} (${info.arch})`)
      }
    }

    return info
  }
}
