// What a Go `ocm-backplane` user types, turned into what this CLI's parser takes, before oclif sees it.
// Kept free of imports: bin/run.js loads it on every run, before the CLI framework.

/** Go's topic aliases (cobra `Aliases`): `backplane scripts list`, `backplane managedJob get`. oclif has no topic aliases. */
export const TOPIC_ALIASES: Readonly<Record<string, string>> = {
  accessRequest: 'accessrequest',
  accessrequests: 'accessrequest',
  managedJob: 'managedjob',
  managedjobs: 'managedjob',
  scripts: 'script',
  testJob: 'testjob',
  testjobs: 'testjob',
  tj: 'testjob',
}

/** logrus's levels, as Go's `-v/--verbosity` takes them (`warning` and `trace` too, as logrus.ParseLevel). */
export const VERBOSITY_LEVELS = ['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace'] as const

const VERBOSITY = /^--verbosity(=|$)/

/**
 * - `-v` alone on a command is Go's `--verbosity=info` (its NoOptDefVal); `-v=debug` is `--verbosity=debug`.
 *   `backplane -v` (nothing else) stays the version, as oclif has it.
 * - A leading global flag (`backplane --verbosity=debug login x`, `backplane -v login x`) moves after the command,
 *   where oclif looks for it.
 * - The first word is mapped through TOPIC_ALIASES.
 * Nothing after `--` is touched (it belongs to another program).
 */
export function goCompatArgv(argv: readonly string[]): string[] {
  if (argv.length === 1 && argv[0] === '-v') return [...argv]
  const end = argv.indexOf('--')
  const head = (end < 0 ? argv : argv.slice(0, end)).map((a) => (a === '-v' ? '--verbosity=info' : a.startsWith('-v=') ? `--verbosity=${a.slice(3)}` : a))
  const tail = end < 0 ? [] : argv.slice(end)

  const leading: string[] = []
  while (head.length > 1 && VERBOSITY.test(head[0])) {
    const flag = head.shift()!
    leading.push(flag)
    // `--verbosity debug` (a separate value) moves with its flag.
    if (flag === '--verbosity' && head.length > 1) leading.push(head.shift()!)
  }

  if (head.length > 0 && Object.hasOwn(TOPIC_ALIASES, head[0])) head[0] = TOPIC_ALIASES[head[0]]
  return [...head, ...leading, ...tail]
}
