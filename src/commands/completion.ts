import {Args} from '@oclif/core'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {BaseCommand} from '../base-command.js'
import {fileError} from '../lib/fs/atomic.js'
import {type CompletionCommand, fishCompletion} from '../lib/output/fish-completion.js'

const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const
type Shell = (typeof SHELLS)[number]

/** The names a Go user runs (`ocm backplane` runs `ocm-backplane` from PATH): both complete. */
const BINS = ['backplane', 'ocm-backplane']

export default class Completion extends BaseCommand {
  static args = {
    shell: Args.string({description: 'the shell', options: [...SHELLS], required: true}),
  }

  static description = `Print the completion script for a shell, as Go ocm-backplane (cobra) does: source it, or save it where your shell loads completions.

It completes commands, subcommands and flags for both backplane and ocm-backplane. bash, zsh and powershell come from the same generator as 'backplane autocomplete' (which also sets them up in your rc file); fish is built from the command list here.`

  static examples = [
    {command: 'source <(<%= config.bin %> <%= command.id %> bash)', description: 'bash, this shell (add the line to ~/.bashrc to keep it)'},
    {command: 'source <(<%= config.bin %> <%= command.id %> zsh)', description: 'zsh, after compinit'},
    {command: '<%= config.bin %> <%= command.id %> fish > ~/.config/fish/completions/backplane.fish', description: 'fish'},
    {command: '<%= config.bin %> <%= command.id %> powershell | Out-String | Invoke-Expression', description: 'PowerShell'},
  ]

  static summary = 'Print the shell completion script (bash, zsh, fish, powershell)'

  async run(): Promise<void> {
    const {args} = await this.parse(Completion)
    const shell = args.shell as Shell
    this.log((await this.script(shell)).trimEnd())
  }

  private async script(shell: Shell): Promise<string> {
    if (shell === 'fish') {
      const topics = Object.fromEntries(this.config.topics.map((t) => [t.name, t.description]))
      return fishCompletion(this.config.commands as unknown as CompletionCommand[], topics, BINS)
    }

    // plugin-autocomplete writes its functions into its cache directory; print the one for this shell.
    await this.config.runCommand('autocomplete:create')
    const dir = join(this.config.cacheDir, 'autocomplete', 'functions')
    const file = {bash: join(dir, 'bash', 'backplane.bash'), powershell: join(dir, 'powershell', 'backplane.ps1'), zsh: join(dir, 'zsh', '_backplane')}[shell]
    const text = await readFile(file, 'utf8').catch((error: unknown) => {
      throw fileError(error, file, 'read')
    })
    if (shell === 'bash') return `${text.trimEnd()}\ncomplete -F _backplane_autocomplete ocm-backplane\n`
    if (shell === 'zsh') {
      // The file is an autoload function that calls itself last; sourced, it must register instead (as cobra's does).
      const body = text.trimEnd().replace(/\n_backplane$/, '')
      return `${body}\nif [ "$funcstack[1]" = "_backplane" ]; then _backplane "$@"; else compdef _backplane ${BINS.join(' ')}; fi\n`
    }

    return text.replace('-CommandName backplane ', `-CommandName ${BINS.join(',')} `)
  }
}
