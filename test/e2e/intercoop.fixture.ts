// Fixtures of the intercoop end-to-end suites: endo-vault services as intercoop entities (real
// sockets, their own data directories), the descriptor B offers, and introductions done the way an
// operator does them: fetch the peer's served descriptor, write it into our peers directory, reload.
import fs from 'node:fs'
import path from 'node:path'
import { startTestService, temporaryDataDir, type TestService } from '../support/test-service.js'
import { watchSecret } from '../support/leak-scan.js'
import { dumpYaml, parseYaml, type YamlValue } from '../../src/core/intercoop/index.js'
import type { ConfigOverrides } from '../../src/core/config.js'

/** The descriptor of the receiving entity, before start (targetUrl comes from the bound port). */
export function targetDescriptor (peerid: string): Record<string, YamlValue> {
  return {
    intercoopVersion: '1.0',
    peerVersion: 3,
    peerid,
    name: 'Target SCCL',
    logo: 'https://target.example.coop/logo.png',
    description: { es: 'Cooperativa de energía', en: 'Energy cooperative' },
    url: { es: 'https://target.example.coop/es', en: 'https://target.example.coop/en' },
    privacyPolicyUrl: { es: 'https://target.example.coop/es/privacidad', en: 'https://target.example.coop/en/privacy' },
    services: {
      contract: {
        name: { es: 'Contrata la luz', en: 'Electricity contract' },
        description: { es: 'Contratar luz verde', en: 'Sign a green electricity contract' },
        fields: ['nif', 'name', 'postalcode', 'city', 'country', 'email'],
      },
      newsletter: { name: 'Newsletter', description: { es: 'Noticias por correo', en: 'News by email' }, fields: ['email', 'lang'] },
    },
  }
}

/** A service whose data directory already holds our descriptor file (the operator completed it). */
export async function startEntityService (options: { peerid: string, descriptor?: Record<string, YamlValue>, config?: ConfigOverrides }): Promise<TestService> {
  const dataDir = temporaryDataDir()
  if (options.descriptor !== undefined) {
    fs.mkdirSync(path.join(dataDir, 'intercoop'), { recursive: true })
    fs.writeFileSync(path.join(dataDir, 'intercoop', 'descriptor.yaml'), dumpYaml(options.descriptor))
  }
  const service = await startTestService({ dataDir, ...options.config, intercoop: { peerId: options.peerid, ...options.config?.intercoop } })
  watchSecret(privateKeyMarker(fs.readFileSync(path.join(dataDir, 'intercoop', 'private-key.pem'), 'utf8')))
  return service
}

/** A distinctive slice of a private key's body (its end: the start holds the modulus, which is public). */
export function privateKeyMarker (pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '').slice(-164, -100)
}

/** The descriptor a service serves, as text. */
export async function servedDescriptor (service: TestService): Promise<string> {
  const response = await fetch(`${service.httpUrl}/intercoop/peerDescriptor`)
  if (response.status !== 200) throw new Error(`peerDescriptor: HTTP ${response.status}`)
  return await response.text()
}

/** Writes a descriptor into a service's peers directory (`<peerid>.yaml`) and reloads its peers. */
export async function addPeer (service: TestService, peerid: string, descriptorText: string): Promise<void> {
  fs.writeFileSync(path.join(service.dataDir, 'peers', `${peerid}.yaml`), descriptorText)
  await service.intercoop.reloadPeers()
}

export async function removePeer (service: TestService, peerid: string): Promise<void> {
  fs.rmSync(path.join(service.dataDir, 'peers', `${peerid}.yaml`))
  await service.intercoop.reloadPeers()
}

/** Each adds the descriptor the other serves. */
export async function introduce (a: TestService, b: TestService): Promise<void> {
  const [ofA, ofB] = await Promise.all([servedDescriptor(a), servedDescriptor(b)])
  await addPeer(a, b.intercoop.entity.peerid, ofB)
  await addPeer(b, a.intercoop.entity.peerid, ofA)
}

/** A descriptor text with some of its keys changed (a stale or edited copy of a peer's). */
export function editedDescriptor (text: string, change: (descriptor: Record<string, any>) => void): string {
  const descriptor = parseYaml(text) as Record<string, any>
  change(descriptor)
  return dumpYaml(descriptor as YamlValue)
}

/** The data of a successful reply; fails with the reply when the code differs. */
export function dataOf (reply: any, code = 200): any {
  if (reply?.metadata?.code !== code) throw new Error(`expected ${code}, got ${JSON.stringify(reply?.metadata)}`)
  return reply.data
}

export async function get (url: string): Promise<{ status: number, contentType: string | null, text: string }> {
  const response = await fetch(url)
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() }
}
