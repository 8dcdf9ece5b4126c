// Mocha root hooks (loaded through .mocharc.json "require").
import {transcript} from './cli.js'

const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/

/** Commands whose job is to print a secret on stdout when asked (and the kubeconfig's token helper). */
function printsSecretsOnPurpose(args: string[], command = ''): boolean {
  if (command.endsWith('/.kube/ocm-token')) return true
  const words = args.filter((a) => !a.startsWith('-') && !a.includes('/'))
  return words[0] === 'token' || (words[0] === 'cloud' && words[1] === 'credentials')
}

export const mochaHooks = {
  afterAll(): void {
    // Every output of every command the suite ran: no simulator token may appear on any screen.
    const leaks = transcript.filter((t) => JWT.test(t.stderr) || (!printsSecretsOnPurpose(t.args, t.command) && JWT.test(t.stdout)))
    if (leaks.length > 0) {
      const where = leaks.slice(0, 5).map((t) => t.args.join(' ')).join('; ')
      throw new Error(`a token appeared in the output of ${leaks.length} command(s): ${where}`)
    }
  },
}
