import {startSimulator, type Simulator} from '../../src/simulator/index.js'

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
