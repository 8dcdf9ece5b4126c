// `backplane upgrade`: how this CLI was installed, and what upgrades it. It never replaces files itself.
import {execFile} from 'node:child_process'
import {existsSync, realpathSync} from 'node:fs'
import {join, relative, sep} from 'node:path'

export type InstallMethod = 'clone' | 'npm-global' | 'other'

export interface Install {
  /** What to run to upgrade. */
  command: string
  method: InstallMethod
  root: string
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child)
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep)
}

const real = (p: string) => {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

/** From where the CLI lives: under npm's global node_modules, a git checkout, or something else. */
export function detectInstall(root: string, packageName: string, npmGlobalRoot: string | undefined, exists: (p: string) => boolean = existsSync): Install {
  const r = real(root)
  if (npmGlobalRoot && (inside(r, real(npmGlobalRoot)) || inside(root, npmGlobalRoot))) {
    return {command: `npm install -g ${packageName}@latest`, method: 'npm-global', root}
  }

  if (exists(join(root, '.git'))) return {command: `git -C '${root}' pull && npm --prefix '${root}' ci && npm --prefix '${root}' run build`, method: 'clone', root}
  return {command: `npm install -g ${packageName}@latest`, method: 'other', root}
}

/** `npm root -g`, or undefined without npm. */
export function npmGlobalRoot(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('npm', ['root', '-g'], {env, timeout: 10_000}, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined))
  })
}
