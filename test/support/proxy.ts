import {createServer, type Server} from 'node:http'
import {connect, type Socket} from 'node:net'

/** A real HTTP CONNECT forward proxy on 127.0.0.1, recording every tunnel it opens. */
export interface ConnectProxy {
  /** `host:port` of every CONNECT, in order. */
  connects: string[]
  stop(): Promise<void>
  url: string
}

export async function startConnectProxy(): Promise<ConnectProxy> {
  const connects: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only\n')
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req, client: Socket, head) => {
    connects.push(req.url ?? '')
    const [host, port] = (req.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  return {
    connects,
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise((r) => server.close(r))
    },
    url: `http://127.0.0.1:${port}`,
  }
}

/** A port on which nothing listens. */
export async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((r) => server.close(r))
  return port
}
