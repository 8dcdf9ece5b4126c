import {Flags} from '@oclif/core'
import {spawn} from 'node:child_process'

import {BaseCommand} from '../base-command.js'
import {CliError} from '../lib/errors.js'
import {detectInstall, type Install, npmGlobalRoot} from '../lib/update/install.js'

export default class Upgrade extends BaseCommand {
  static description = `Upgrade this CLI the way it was installed.

A global npm install: on a terminal it asks, then runs 'npm install -g <package>@latest' (--yes: without asking; --print: only print the command). A git clone, or anything else: it prints what to run. It never replaces files itself.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Upgrade (asks first)'},
    {command: '<%= config.bin %> <%= command.id %> --print', description: 'Only print the command that upgrades it'},
  ]

  static flags = {
    print: Flags.boolean({description: 'print the upgrade command instead of running it'}),
    yes: Flags.boolean({char: 'y', description: 'run the npm upgrade without asking'}),
  }

  static summary = 'Upgrade this CLI (npm install -g), or say how'

  async run(): Promise<Install & {latest?: string; version: string}> {
    const {flags} = await this.parse(Upgrade)
    const install = detectInstall(this.config.root, this.config.name, await npmGlobalRoot(process.env))
    const result = {...install, version: this.config.version}
    if (this.jsonEnabled()) return result
    if (flags.print) {
      this.log(install.command)
      return result
    }

    if (install.method !== 'npm-global') {
      const how = install.method === 'clone' ? `${this.config.name} runs from the git checkout ${install.root}` : `${this.config.name} at ${install.root} was not installed with npm install -g`
      this.log(`${how}. To upgrade, run:\n  ${install.command}`)
      return result
    }

    if (!flags.yes) {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        this.log(`To upgrade, run:\n  ${install.command}\n(or 'backplane upgrade --yes')`)
        return result
      }

      const {confirm} = await import('@inquirer/prompts')
      if (!(await confirm({default: true, message: `Run '${install.command}'?`}, {output: process.stderr}))) return result
    }

    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn('npm', ['install', '-g', `${this.config.name}@latest`], {stdio: 'inherit'})
      child.on('error', reject)
      child.on('close', (c) => resolve(c ?? 1))
    }).catch((error: Error) => {
      throw new CliError(`could not run npm (${error.message})`, {hint: `run it yourself: ${install.command}`})
    })
    if (code !== 0) throw new CliError(`npm install -g ${this.config.name}@latest failed (exit ${code})`, {hint: 'see npm\'s output above; with a permission error, use a Node version manager or a user prefix (npm config set prefix ~/.npm-global)'})
    return result
  }
}
