// One process of the lock stress test (lock-stress.test.ts): wait at the barrier, then increment the
// counter file `increments` times, each read-modify-write under withFileLock, and exit.
// Plain JavaScript on the built CLI (dist/), so that 64 of them start fast.
import {closeSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

const [distLock, counter, barrier, increments] = process.argv.slice(2)
const {withFileLock} = await import(distLock)

process.stdout.write('ready\n')
// The barrier: opening a FIFO for reading blocks until the test opens it for writing, which releases every waiter at once.
closeSync(openSync(barrier, 'r'))

let overlaps = 0
for (let i = 0; i < Number(increments); i++) {
  await withFileLock(
    counter,
    async () => {
      // A second holder at the same time would find the marker (or lose its write to ours).
      try {
        writeFileSync(`${counter}.inside`, String(process.pid), {flag: 'wx'})
      } catch {
        overlaps++
      }

      const value = Number(readFileSync(counter, 'utf8'))
      await sleep(1)
      writeFileSync(counter, String(value + 1))
      rmSync(`${counter}.inside`, {force: true})
    },
    {timeoutMs: 120_000},
  )
}

process.stdout.write(`done ${overlaps}\n`)
