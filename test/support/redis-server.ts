// A throwaway redis-server on loopback (Debian's, which .ci/run installs): a free port, no persistence, stopped
// by the suite. Undefined when the binary is not there (the cluster suite is then skipped, as the PostgreSQL
// one is without TEST_DATABASE_URL).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import net from 'node:net'

export interface RedisServer { url: string, stop: () => Promise<void> }

export function hasRedisServer (): boolean {
  return spawnSync('redis-server', ['--version']).status === 0
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    }).on('error', reject)
  })
}

export async function startRedisServer (): Promise<RedisServer> {
  const port = await freePort()
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) resolve()
    })
    child.once('exit', code => reject(new Error(`redis-server exited with ${code}: ${output}`)))
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop () {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
