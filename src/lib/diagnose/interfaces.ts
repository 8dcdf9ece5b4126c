// The machine's network interface names, behind a seam: tests replace `interfaceSource.names`, or set
// BACKPLANE_TEST_INTERFACES (a comma list, e.g. "tun0,eth0") for a spawned CLI.
import {networkInterfaces} from 'node:os'

export const TEST_INTERFACES_ENV = 'BACKPLANE_TEST_INTERFACES'

export const interfaceSource = {
  names(env: NodeJS.ProcessEnv = process.env): string[] {
    const fake = env[TEST_INTERFACES_ENV]
    if (fake !== undefined) return fake.split(',').map((n) => n.trim()).filter(Boolean)
    return Object.keys(networkInterfaces())
  },
}

/** Interface name prefixes of VPN clients (OpenVPN, WireGuard, PPP, macOS utun), as Go backplane-cli checks. */
export const VPN_PREFIXES = ['tun', 'tap', 'ppp', 'wg', 'utun'] as const

export function vpnInterfaces(names: string[]): string[] {
  return names.filter((n) => VPN_PREFIXES.some((p) => n.startsWith(p)))
}
