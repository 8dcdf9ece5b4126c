import {createServer} from 'node:net'

import {CliError, usageError} from '../errors.js'

export const LOCAL_HOST = '127.0.0.1'

/** --port: an integer from 1 to 65535. */
export function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw usageError(`invalid --port "${raw}"`, 'give a port number from 1 to 65535')
  return port
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({exclusive: true, host: LOCAL_HOST, port}, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : port
      server.close(() => resolve(bound))
    })
  })
}

/** A port nobody listens on at 127.0.0.1 (the kernel picks it). */
export async function freePort(): Promise<number> {
  return listenOnce(0)
}

/** Fail with one line when something already listens on 127.0.0.1:<port>. */
export async function assertPortFree(port: number): Promise<void> {
  try {
    await listenOnce(port)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      throw new CliError(`port ${port} on ${LOCAL_HOST} is already in use`, {code: 'PORT_BUSY', hint: 'pick another --port, or leave it out for a free one'})
    }

    if (code === 'EACCES') {
      throw new CliError(`not allowed to listen on port ${port}`, {code: 'PORT_DENIED', hint: 'use a port above 1023, or leave --port out for a free one'})
    }

    throw new CliError(`cannot listen on ${LOCAL_HOST}:${port} (${code ?? (error as Error).message})`, {hint: 'pick another --port'})
  }
}
