import {spawn} from 'node:child_process'

import {RUN, transcript} from './cli.js'

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

/**
 * `backplane <args>` in a real pseudo-terminal (util-linux `script`), as a user's shell runs it. `react` is
 * called at the start and with the output so far on each chunk, and may type (keys, `\r`, `\u0003` for Ctrl-C).
 */
export function inTerminal(
  env: NodeJS.ProcessEnv,
  args: string[],
  react: (out: string, type: (keys: string) => void) => void,
  opts: {command?: string[]} = {},
): Promise<{code: null | number; out: string}> {
  const command = (opts.command ?? [process.execPath, RUN, ...args]).map(shellQuote).join(' ')
  const child = spawn('script', ['-qec', command, '/dev/null'], {env: {TERM: 'xterm', ...env}, stdio: ['pipe', 'pipe', 'pipe']})
  let out = ''
  const type = (keys: string) => child.stdin.write(keys)
  react(out, type)
  child.stdout.on('data', (d) => {
    out += d
    react(out, type)
  })
  return new Promise((resolve) => {
    child.on('close', (code) => {
      transcript.push({args, stderr: '', stdout: out})
      resolve({code, out})
    })
  })
}
