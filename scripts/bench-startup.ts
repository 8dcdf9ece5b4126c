// Start-up rows of `npm run bench` (issue 13): real commands against `node -e 0` of the same Node binary, side by
// side in one run, in a clean environment (only HOME, PATH and the files a command needs).
import {fileURLToPath} from 'node:url'

import {SEED} from '../src/simulator/index.js'
import type {Comparison} from './bench.js'
import {freshHome as benchHome, timeProcess} from './bench.js'

const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/**
 * The four goal rows plus two that must not regress (`--help`, a mistyped command), for one Node binary.
 * `label` names it in the row ("node v20.20.2").
 */
export function startupComparisons(node: string, label: string): Comparison[] {
  let loggedIn: NodeJS.ProcessEnv
  const baseline = (env: NodeJS.ProcessEnv) => timeProcess(node, ['-e', '0'], env)
  const row = (name: string, args: string[], target?: Comparison['target'], okCodes: number[] = [0]): Comparison => ({
    async measure() {
      return [await timeProcess(node, [RUN, ...args], loggedIn, okCodes), await baseline(loggedIn)]
    },
    name: `[${label}] ${name} vs node -e 0`,
    target,
    unit: 'ms',
  })
  const target = (max: number): Comparison['target'] => ({ok: (r) => r <= max, text: `≤ ${max}×`})
  const version = row('backplane version', ['version'], target(2.5))
  version.setup = async (sim) => {
    const {env} = benchHome(sim)
    await timeProcess(node, [RUN, 'login', SEED.demo.name], env)
    loggedIn = env
  }

  const login: Comparison = {
    async measure(sim) {
      const {env} = benchHome(sim)
      return [await timeProcess(node, [RUN, 'login', SEED.demo.name], env), await baseline(env)]
    },
    name: `[${label}] backplane login (full, simulator) vs node -e 0`,
    target: target(4.5),
    unit: 'ms',
  }
  return [
    version,
    row('backplane project (reads the kubeconfig, no network)', ['project'], target(3)),
    row('backplane status', ['status'], target(4)),
    login,
    row('backplane --help (must not regress; reference)', ['--help']),
    row('backplane logni (mistyped; reference)', ['logni'], undefined, [0, 1, 2, 127]),
  ]
}
