import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import type {OcmSession} from '../ocm/session.js'
import type {EngineName} from './engine.js'
import type {PullAuth} from './command-lines.js'

import {CliError} from '../errors.js'
import {readFileIfExists, writeFileAtomic} from '../fs/atomic.js'

export const ACCESS_TOKEN_PATH = '/api/accounts_mgmt/v1/access_token'

export function pullSecretPath(home: string): string {
  return join(home, '.kube', 'backplane-pull-secret.json')
}

/** docker wants a config directory (`--config <dir>`) holding config.json. */
export function dockerConfigDir(home: string): string {
  return join(home, '.kube', 'backplane-docker-config')
}

/**
 * The registry credentials for pulling the console image: the pull secret from OCM
 * (POST /api/accounts_mgmt/v1/access_token), fetched only when $HOME/.kube/backplane-pull-secret.json
 * is missing and stored there with mode 0600; for docker also copied to a config directory.
 */
export async function ensurePullSecret(ocm: OcmSession, home: string, engine: EngineName): Promise<PullAuth & {fetched: boolean}> {
  const authFile = pullSecretPath(home)
  const configDir = dockerConfigDir(home)
  let text = await readFileIfExists(authFile)
  const fetched = text === undefined
  if (text === undefined) {
    let body: unknown
    try {
      body = await ocm.post<unknown>(ACCESS_TOKEN_PATH)
    } catch (error) {
      const cli = error instanceof CliError ? error : new CliError(String((error as Error)?.message ?? error))
      throw new CliError(`cannot get your pull secret from OCM: ${cli.message}`, {code: 'PULL_SECRET', hint: cli.hint ?? "check your OCM login ('ocm whoami') and retry"})
    }

    const auths = (body as {auths?: unknown})?.auths
    if (!auths || typeof auths !== 'object' || Array.isArray(auths)) {
      throw new CliError('OCM answered the pull secret request without registry credentials ("auths")', {
        code: 'PULL_SECRET',
        hint: 'check the OCM URL (OCM_URL or url in the OCM config)',
      })
    }

    text = `${JSON.stringify(body)}\n`
    await writeFileAtomic(authFile, text, 0o600)
  }

  if (engine === 'docker') {
    const dockerConfig = join(configDir, 'config.json')
    const exists = await fsp.stat(dockerConfig).then(() => true, () => false)
    if (!exists || fetched) await writeFileAtomic(dockerConfig, text, 0o600)
  }

  return {authFile, configDir, fetched}
}
