import {rmSync} from 'node:fs'

import {startSimulator, type Simulator} from '../../src/simulator/index.js'
import {userHome, type UserHome} from './cli.js'

/** One simulator for a describe block: started before, stopped after. */
export function useSimulator(): {readonly sim: Simulator} {
  const holder: {sim?: Simulator} = {}
  before(async () => {
    holder.sim = await startSimulator({quiet: true})
  })
  after(async () => {
    await holder.sim?.stop()
  })
  return {
    get sim(): Simulator {
      if (!holder.sim) throw new Error('simulator not started')
      return holder.sim
    },
  }
}

/** Throwaway user homes on that simulator (see userHome), each removed after the describe block. */
export function useHomes(s: {readonly sim: Simulator}): (extra?: Record<string, string>) => UserHome {
  const homes: UserHome[] = []
  after(() => {
    for (const u of homes) rmSync(u.home, {force: true, recursive: true})
  })
  return (extra = {}) => {
    const u = userHome(s.sim, extra)
    homes.push(u)
    return u
  }
}
