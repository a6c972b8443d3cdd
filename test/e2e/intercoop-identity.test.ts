// The intercoop identity of an endo-vault service (issue 7 "Entity configuration"): made on first run
// like the service key (key pair, our descriptor, an empty peers directory), kept across restarts,
// overridden by configuration, and served so peers can add it.
import fs from 'node:fs'
import path from 'node:path'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { startTestService, temporaryDataDir, type TestService } from '../support/test-service.js'
import { watchSecret } from '../support/leak-scan.js'
import { loadConfig } from '../../src/core/config.js'
import { ensureIntercoopIdentity, openIntercoop } from '../../src/core/service/intercoop-identity.js'
import { createLogger } from '../../src/core/log.js'
import { dumpYaml, parseYaml, type YamlValue } from '../../src/core/intercoop/index.js'
import type { Store } from '../../src/core/store/database.js'
import { privateKeyMarker, servedDescriptor } from './intercoop.fixture.js'

const silent = createLogger({ level: 'silent' })
/** The runtime builds no query before a request comes: no store is needed to check the files. */
const noStore = {} as Store

describe('a service started on an empty data directory', () => {
  let service: TestService
  let dataDir: string
  let firstPublicKey: string
  beforeAll(async () => {
    dataDir = temporaryDataDir()
    service = await startTestService({ dataDir })
    watchSecret(privateKeyMarker(fs.readFileSync(path.join(dataDir, 'intercoop', 'private-key.pem'), 'utf8')))
  })
  afterAll(async () => { await service?.stop() })

  it('wrote an RSA private key only its owner may read, in the PKCS#1 form the reference writes', () => {
    const file = path.join(dataDir, 'intercoop', 'private-key.pem')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const pem = fs.readFileSync(file, 'utf8')
    expect(pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/)
    expect(createPrivateKey(pem).asymmetricKeyDetails?.modulusLength).toBe(2048)
  })

  it('wrote our descriptor for the operator to complete, with a peer id made of letters from the service uuid', () => {
    const descriptor = parseYaml(fs.readFileSync(path.join(dataDir, 'intercoop', 'descriptor.yaml'), 'utf8')) as Record<string, unknown>
    expect(descriptor.peerid).toMatch(/^endovault[a-p]{8}$/)
    expect(descriptor).toMatchObject({ intercoopVersion: '1.0', peerVersion: 1, services: {} })
    expect(descriptor).not.toHaveProperty('publickey')
    expect(descriptor).not.toHaveProperty('targetUrl')
  })

  it('made an empty peers directory', () => {
    expect(fs.readdirSync(path.join(dataDir, 'peers'))).toEqual([])
  })

  it('serves the descriptor with the public key of that private key and its bound target URL', async () => {
    const served = parseYaml(await servedDescriptor(service)) as Record<string, string>
    const pem = fs.readFileSync(path.join(dataDir, 'intercoop', 'private-key.pem'), 'utf8')
    expect(createPublicKey(served.publickey).export({ type: 'spki', format: 'der' }))
      .toEqual(createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' }))
    expect(served.targetUrl).toBe(`${service.httpUrl}/intercoop`)
    firstPublicKey = served.publickey
  })

  it('keeps its key and descriptor across a restart', async () => {
    await service.stop({ keepData: true })
    service = await startTestService({ dataDir })
    const served = parseYaml(await servedDescriptor(service)) as Record<string, string>
    expect(served.publickey).toBe(firstPublicKey)
  })

  it('takes the peer id, target URL and continuation URL from configuration over the descriptor file', async () => {
    await service.stop({ keepData: true })
    service = await startTestService({
      dataDir,
      intercoop: { peerId: 'renamedcoop', targetUrl: 'https://api.example.coop/intercoop', continuationUrlTemplate: 'https://example.coop/signup?token={uuid}' },
    })
    const served = parseYaml(await servedDescriptor(service)) as Record<string, string>
    expect(served).toMatchObject({ peerid: 'renamedcoop', targetUrl: 'https://api.example.coop/intercoop' })
    expect(service.intercoop.entity.continuationUrl('abc')).toBe('https://example.coop/signup?token=abc')
  })
})

describe('configuration the service refuses', () => {
  it('a peer id with other characters than lower-case letters', () => {
    expect(() => loadConfig({ intercoop: { peerId: 'endo-vault-1' } }, {})).toThrow(/intercoop\.peerId must match pattern/)
  })
})

describe('a descriptor file that breaks a rule of the upstream schema', () => {
  it('stops the entity from opening (and so the start), naming the file and the rule', async () => {
    const dataDir = temporaryDataDir()
    try {
      const config = loadConfig({ dataDir }, {})
      const files = await ensureIntercoopIdentity(config, '00000000-0000-4000-8000-000000000000')
      fs.writeFileSync(files.descriptorFile, dumpYaml({ intercoopVersion: '1.0', peerVersion: 1, peerid: 'Bad-Id', name: 'x', logo: '', description: 'x', url: '', privacyPolicyUrl: '', services: {} }))
      await expect(openIntercoop({ config, store: noStore, logger: silent, serviceUuid: 'x' })).rejects.toThrow(`${files.descriptorFile}: peerid must match ^[a-z]+$`)
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('a peers directory reloaded with a bad descriptor', () => {
  it('refuses the reload naming the file, and keeps the peers loaded before', async () => {
    const dataDir = temporaryDataDir()
    try {
      const config = loadConfig({ dataDir }, {})
      const runtime = await openIntercoop({ config, store: noStore, logger: silent, serviceUuid: '00000000-0000-4000-8000-000000000000' })
      const good = { ...runtime.entity.descriptor, peerid: 'goodcoop' }
      fs.writeFileSync(path.join(dataDir, 'peers', 'goodcoop.yaml'), dumpYaml(good as unknown as YamlValue))
      await runtime.reloadPeers()
      expect(runtime.peers.list().map(peer => peer.peerid)).toEqual(['goodcoop'])
      const bad = path.join(dataDir, 'peers', 'badcoop.yaml')
      fs.writeFileSync(bad, dumpYaml({ ...good, peerid: 'badcoop', services: 'none' } as unknown as YamlValue))
      await expect(runtime.reloadPeers()).rejects.toThrow(`${bad}: services must be a map of service id to service`)
      expect(runtime.peers.list().map(peer => peer.peerid)).toEqual(['goodcoop'])
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
