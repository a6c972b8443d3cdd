import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  catalogue, createIntercoopEntity, dumpYaml, loadPeerDirectory, parseYaml, requiredFields, PeerDescriptorError,
  type YamlValue,
} from '../../../src/core/intercoop/index.js'
import { descriptorOf, keyPair, vectorFile } from './intercoop.fixture.js'

let dir: string
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'intercoop-peers-')) })
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }) })

async function write (name: string, descriptor: Record<string, unknown> | string): Promise<void> {
  await fs.writeFile(path.join(dir, name), typeof descriptor === 'string' ? descriptor : dumpYaml(descriptor as YamlValue))
}

describe('a peers directory (reference §A4)', () => {
  it('loads <peerid>.yaml descriptors with SPKI and PKCS#1 public keys', async () => {
    await write('somacme.yaml', descriptorOf('somacme', 'https://api.somacme.coop/intercoop', { publickey: vectorFile.key.publicKeyPem }))
    await write('mesopcions.yaml', descriptorOf('mesopcions', 'https://mesopcions.coop/api', { publickey: vectorFile.key.publicKeyPemPkcs1 }))
    const peers = await loadPeerDirectory(dir)
    expect(peers.list().map(p => p.peerid)).toEqual(['mesopcions', 'somacme'])
    expect(peers.publicKeyOf('somacme').asymmetricKeyType).toBe('rsa')
    expect(peers.publicKeyOf('mesopcions').export({ type: 'spki', format: 'pem' })).toBe(vectorFile.key.publicKeyPem)
  })

  it('reads the upstream example layout: literal-block key, translatable maps, peer-level fields', async () => {
    await write('somenergia.yaml', [
      'intercoopVersion: "1.0"  # Version of the protocol',
      'peerVersion: 1',
      'peerid: somenergia',
      'name: Som Energia SCCL',
      'logo: https://www.somenergia.coop/logo.png',
      'description:',
      '  es: Contrata la luz con la cooperativa de energía verde',
      '  ca: Contracta la llum amb la cooperativa',
      'url: https://www.somenergia.coop',
      'privacyPolicyUrl:',
      '  es: https://www.somenergia.coop/es/privacidad/',
      '  ca: https://www.somenergia.coop/ca/privacitat/',
      'info:',
      '  es: >',
      '    Som Energia es una cooperativa.',
      '    Sin ánimo de lucro.',
      'services:',
      '  contract:',
      '    name:',
      '      es: Contrata la luz',
      '    description:',
      '      es: Contratar luz como si fueras miembro.',
      'targetUrl: https://api.somenergia.coop/intercoop/contrataluz/',
      'dataFormat: yaml',
      'fields:',
      '- innerid # serial number',
      '- nif',
      'publickey: |',
      ...vectorFile.key.publicKeyPem.trim().split('\n').map(line => `  ${line}`),
      '',
    ].join('\n'))
    const peers = await loadPeerDirectory(dir)
    const peer = peers.get('somenergia')
    expect(peer.targetUrl).toBe('https://api.somenergia.coop/intercoop/contrataluz')
    expect(requiredFields(peer, 'contract')).toEqual(['originpeer', 'innerid', 'nif'])
    expect(catalogue(peers, 'ca')).toEqual([{
      peerid: 'somenergia',
      name: 'Som Energia SCCL',
      description: 'Contracta la llum amb la cooperativa',
      info: 'Som Energia es una cooperativa. Sin ánimo de lucro.\n',
      url: 'https://www.somenergia.coop',
      logo: 'https://www.somenergia.coop/logo.png',
      privacyPolicyUrl: 'https://www.somenergia.coop/ca/privacitat/',
      services: [{ id: 'contract', name: 'Contrata la luz', description: 'Contratar luz como si fueras miembro.', fields: ['innerid', 'nif'] }],
    }])
  })

  it('answers an unknown peer and a peer without a key with BadPeer 403 (the upstream 500s, fixed)', async () => {
    await write('nokey.yaml', descriptorOf('nokey', 'https://nokey.coop/api'))
    const peers = await loadPeerDirectory(dir)
    expect(() => peers.publicKeyOf('nokey')).toThrow(expect.objectContaining({ name: 'BadPeer', code: 403, message: "The entity 'nokey' is not a recognized one" }))
    expect(() => peers.publicKeyOf('ghost')).toThrow(expect.objectContaining({ name: 'BadPeer', code: 403 }))
    expect(() => peers.get('ghost')).toThrow(expect.objectContaining({ name: 'NoSuchPeer', code: 404 }))
  })

  it.each([
    ['a file named after another peer', 'other.yaml', descriptorOf('somacme', 'https://x'), 'the file name must be somacme.yaml (its peerid)'],
    ['a peerid with capitals', 'SomAcme.yaml', descriptorOf('SomAcme', 'https://x'), 'peerid must match ^[a-z]+$'],
    ['a missing targetUrl', 'somacme.yaml', { ...descriptorOf('somacme', 'https://x'), targetUrl: undefined }, 'missing targetUrl'],
    ['an unknown key', 'somacme.yaml', descriptorOf('somacme', 'https://x', { publicKey: 'x' }), 'unknown key publicKey'],
    ['an unquoted version', 'somacme.yaml', dumpYaml(descriptorOf('somacme', 'https://x') as YamlValue).replace("'1.0'", '1.0'), "intercoopVersion must be the string '1.0'"],
    ['a key that is not PEM', 'somacme.yaml', descriptorOf('somacme', 'https://x', { publickey: 'not a key' }), 'publickey is not a PEM public key'],
    ['a json data format', 'somacme.yaml', descriptorOf('somacme', 'https://x', { dataFormat: 'json' }), 'dataFormat json is not supported (only yaml)'],
  ])('refuses %s, naming the file and the rule', async (_what, name, descriptor, problem) => {
    const cleaned = typeof descriptor === 'string' ? descriptor : JSON.parse(JSON.stringify(descriptor)) as Record<string, unknown>
    await write(name, cleaned)
    const loading = loadPeerDirectory(dir)
    await expect(loading).rejects.toThrow(PeerDescriptorError)
    await expect(loading).rejects.toThrow(`${path.join(dir, name)}: ${problem}`)
  })
})

describe('the catalogue and the fields of a service', () => {
  it('translates into the person\'s language, falling back to English then Spanish', async () => {
    await write('somacme.yaml', descriptorOf('somacme', 'https://x'))
    const peers = await loadPeerDirectory(dir)
    const [inCatalan] = catalogue(peers, 'ca')
    expect(inCatalan.description).toBe('La cooperativa somacme (ca)')
    expect(inCatalan.privacyPolicyUrl).toBe('https://somacme.example.coop/en/privacy')
    expect(inCatalan.services.map(s => [s.id, s.name])).toEqual([['contract', 'Electricity contract'], ['newsletter', 'Newsletter']])
    expect(catalogue(peers, 'es')[0].services[0].name).toBe('Contrata la luz')
  })

  it('leaves the entity itself out of its own catalogue', async () => {
    await write('somacme.yaml', descriptorOf('somacme', 'https://x'))
    expect(catalogue(await loadPeerDirectory(dir), 'en', 'somacme')).toEqual([])
  })

  it('always puts originpeer first, and refuses an unknown service or a service without fields', async () => {
    await write('somacme.yaml', descriptorOf('somacme', 'https://x', { services: { bare: { name: 'Bare', description: 'No fields' }, mail: { name: 'Mail', description: 'Mail', fields: ['email', 'nonce'] } } }))
    const peer = (await loadPeerDirectory(dir)).get('somacme')
    expect(requiredFields(peer, 'mail')).toEqual(['originpeer', 'email'])
    expect(() => requiredFields(peer, 'bare')).toThrow("Peer 'somacme' does not specify fields for service 'bare'")
    expect(() => requiredFields(peer, 'ghost')).toThrow(expect.objectContaining({ name: 'UnknownService', message: "The entity 'somacme' offers no service 'ghost'" }))
  })
})

describe('the entity\'s own descriptor', () => {
  it('gets its publickey from the entity key pair, in SPKI PEM', () => {
    const pair = keyPair(0)
    const entity = createIntercoopEntity({ descriptor: dumpYaml(descriptorOf('somacme', 'https://somacme.coop/intercoop/') as YamlValue), privateKeyPem: pair.privateKeyPem })
    expect(entity.peerid).toBe('somacme')
    expect(entity.descriptor.publickey).toBe(pair.publicKeyPem)
    expect(entity.continuationUrl('abc')).toBe('https://somacme.coop/intercoop/activateService/abc')
    expect(parseYaml(dumpYaml(entity.descriptor as unknown as YamlValue))).toEqual(entity.descriptor)
  })

  it('refuses a descriptor whose publickey is not the entity\'s', () => {
    expect(() => createIntercoopEntity({
      descriptor: descriptorOf('somacme', 'https://x', { publickey: vectorFile.key.publicKeyPem }) as never,
      privateKeyPem: keyPair(0).privateKeyPem,
    })).toThrow('entity descriptor: publickey does not match the entity private key')
  })
})
