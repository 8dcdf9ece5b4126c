import {createHash} from 'node:crypto'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {readFileIfExists, writeFileAtomic} from '../fs/atomic.js'
import {expiryOf} from '../ocm/jwt.js'

export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1'

export function ocmTokenScriptPath(home: string): string {
  return join(home, '.kube', 'ocm-token')
}

/** Where the helper caches the token of one OCM config (one file per OCM config path). */
export function tokenCachePath(home: string, ocmConfigPath: string): string {
  const key = createHash('sha256').update(ocmConfigPath).digest('hex').slice(0, 16)
  return join(home, '.kube', 'cache', 'backplane', `token-${key}`)
}

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

/**
 * The exec credential helper kubectl and oc run. It serves a cached token while it is valid for
 * more than 60 s (a few shell builtins, no Node start), else asks `ocm token` when ocm is on PATH,
 * or this CLI's own `backplane token` (the installation that wrote it, else `backplane` on PATH),
 * and caches the answer (mode 0600).
 */
export function ocmTokenScript(cliCommand: string[]): string {
  const cli = cliCommand.map(shellQuote).join(' ')
  // The CLI that wrote the script, while it is still installed there (Node upgraded or moved: `backplane` on PATH).
  const present = cliCommand.map((p) => `[ -e ${shellQuote(p)} ]`).join(' && ')
  return `#!/bin/sh
# Written by 'backplane login'. kubectl and oc run it to get a fresh OCM access token
# (a client.authentication.k8s.io/v1 ExecCredential). Safe to delete: login writes it again.
umask 077
cache="\${BACKPLANE_TOKEN_CACHE:-\$HOME/.kube/cache/backplane/token}"
now=$(date +%s)
if [ -r "$cache" ]; then
  { read -r exp; read -r cred; } < "$cache"
  if [ "\${exp:-0}" -gt $((now + 60)) ] 2>/dev/null; then
    printf '%s\\n' "$cred"
    exit 0
  fi
fi
if command -v ocm >/dev/null 2>&1; then
  token=$(ocm token) || exit 1
elif ${present}; then
  token=$(${cli} token) || exit 1
elif command -v backplane >/dev/null 2>&1; then
  token=$(backplane token) || exit 1
else
  echo "ocm-token: neither ocm nor backplane is installed: install one, then run 'backplane login' again" >&2
  exit 1
fi
payload=$(printf '%s' "$token" | cut -d. -f2 | tr '_-' '/+')
case $((\${#payload} % 4)) in 2) payload="$payload==" ;; 3) payload="$payload=" ;; esac
exp=$(printf '%s' "$payload" | base64 -d 2>/dev/null | sed -n 's/.*"exp":[ ]*\\([0-9][0-9]*\\).*/\\1/p')
if [ -n "$exp" ]; then
  ts=$(date -u -d "@$exp" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$exp" +%Y-%m-%dT%H:%M:%SZ)
  cred='{"apiVersion":"${EXEC_API_VERSION}","kind":"ExecCredential","status":{"token":"'"$token"'","expirationTimestamp":"'"$ts"'"}}'
  mkdir -p "$(dirname "$cache")" && printf '%s\\n%s\\n' "$exp" "$cred" > "$cache.$$" && mv -f "$cache.$$" "$cache"
else
  cred='{"apiVersion":"${EXEC_API_VERSION}","kind":"ExecCredential","status":{"token":"'"$token"'"}}'
fi
printf '%s\\n' "$cred"
`
}

export function execCredential(token: string): Record<string, unknown> {
  const expiry = expiryOf(token)
  return {
    apiVersion: EXEC_API_VERSION,
    kind: 'ExecCredential',
    status: {token, ...(expiry ? {expirationTimestamp: expiry.toISOString().replace(/\.\d{3}Z$/, 'Z')} : {})},
  }
}

/** (Re)create the helper (mode 0700) when its content differs, and seed its cache with a token we already hold. */
export async function installOcmTokenScript(home: string, cliCommand: string[], cache?: {path: string; token: string}): Promise<string> {
  const path = ocmTokenScriptPath(home)
  const script = ocmTokenScript(cliCommand)
  if ((await readFileIfExists(path)) !== script) await writeFileAtomic(path, script, 0o700)
  else await fsp.chmod(path, 0o700)
  const expiry = cache && expiryOf(cache.token)
  if (cache && expiry) {
    const cred = JSON.stringify(execCredential(cache.token))
    await writeFileAtomic(cache.path, `${Math.floor(expiry.getTime() / 1000)}\n${cred}\n`, 0o600)
  }

  return path
}
