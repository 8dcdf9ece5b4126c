// Bundle shim for `wsl-utils` (scripts/bundle.mjs): @oclif/core imports it on every start only to ask "is this WSL?".
// The package pulls in child_process, fs/promises, util and buffer as ES modules (~30 ms); this answers the same
// question from /proc with what is already loaded. Only oclif's own os helpers use it inside the bundle.
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

function detectWsl() {
  if (process.platform !== 'linux') return false
  const {readFileSync} = require('node:fs')
  try {
    if (require('node:os').release().toLowerCase().includes('microsoft')) return true
    return readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')
  } catch {
    return false
  }
}

export const isWsl = detectWsl()

/** Windows PowerShell, where oclif looks for the parent shell's name (on Windows only). */
export async function powerShellPath() {
  return `${process.env.SYSTEMROOT || String.raw`C:\Windows`}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`
}
