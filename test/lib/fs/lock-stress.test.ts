import {expect} from 'chai'
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {promises as fsp} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {ROOT} from '../../support/cli.js'

const WORKER = fileURLToPath(new URL('lock-stress-worker.mjs', import.meta.url))
const DIST_LOCK = pathToFileURL(join(ROOT, 'dist', 'lib', 'fs', 'lock.js')).href
const PROCESSES = 64
const TRIALS = Number(process.env.LOCK_STRESS_TRIALS ?? 20)
const INCREMENTS = 2

interface Trial {
  counter: number
  overlaps: number
}

/** One trial: PROCESSES fresh processes behind one barrier, each incrementing the counter INCREMENTS times under the lock. */
async function trial(dir: string, n: number): Promise<Trial> {
  const counter = join(dir, `counter-${n}`)
  const barrier = join(dir, `barrier-${n}`)
  writeFileSync(counter, '0')
  execFileSync('mkfifo', [barrier])
  let ready = 0
  let overlaps = 0
  let allReady!: () => void
  const readyPromise = new Promise<void>((r) => (allReady = r))
  const exits = Array.from({length: PROCESSES}, () => {
    const child = spawn(process.execPath, [WORKER, DIST_LOCK, counter, barrier, String(INCREMENTS)], {stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
      if (d.toString().includes('ready') && ++ready === PROCESSES) allReady()
    })
    child.stderr.on('data', (d) => (err += d))
    return new Promise<void>((resolve, reject) =>
      child.on('close', (code) => {
        const m = /done (\d+)/.exec(out)
        if (code !== 0 || !m) reject(new Error(`worker exited ${code}: ${err.trim()}`))
        else {
          overlaps += Number(m[1])
          resolve()
        }
      }),
    )
  })
  // A worker that fails before the barrier fails the trial (instead of leaving the others waiting).
  const all = Promise.all(exits)
  await Promise.race([readyPromise, all])
  // Opening the FIFO for writing releases every process blocked opening it for reading, at the same instant.
  const release = await fsp.open(barrier, 'w')
  try {
    await all
  } finally {
    await release.close()
  }

  return {counter: Number(readFileSync(counter, 'utf8')), overlaps}
}

describe('file lock under stress', function () {
  this.timeout(300_000)
  let dir: string
  before(function () {
    if (process.platform !== 'linux') this.skip()
    dir = mkdtempSync(join(tmpdir(), 'bp-lock-stress-'))
  })
  after(() => rmSync(dir, {force: true, recursive: true}))

  it(`${PROCESSES} processes released together, ${TRIALS} trials: the counter is exact every time`, async () => {
    const results: Trial[] = []
    for (let n = 0; n < TRIALS; n++) {
      const started = Date.now()
      results.push(await trial(dir, n))
      if (process.env.LOCK_STRESS_REPORT) console.log(`trial ${n}: ${results[n].counter} in ${Date.now() - started} ms`)
    }
    const lost = results.filter((r) => r.counter !== PROCESSES * INCREMENTS)
    if (process.env.LOCK_STRESS_REPORT) console.log(`lock stress: ${TRIALS} trials × ${PROCESSES} processes × ${INCREMENTS}; counters ${results.map((r) => r.counter).join(',')}; overlaps ${results.reduce((a, r) => a + r.overlaps, 0)}`)
    expect(lost, `trials with lost increments: ${lost.map((r) => r.counter).join(', ')}`).to.deep.equal([])
    expect(results.reduce((a, r) => a + r.overlaps, 0)).to.equal(0)
    // Nothing left behind: no lock, no takeover file, no temp file.
    expect(readdirSync(dir).filter((f) => f.includes('.lock') || f.endsWith('.tmp'))).to.deep.equal([])
    expect(existsSync(join(dir, 'counter-0.lock'))).to.equal(false)
  })
})
