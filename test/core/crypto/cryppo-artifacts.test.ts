import { serialize } from 'bson'
import {
  decodeDerivationArtifacts, decodeEncryptionArtifacts, encodeDerivationArtifacts, encodeEncryptionArtifacts,
} from '../../../src/core/crypto/cryppo-artifacts.js'
import { BadRequest } from '../../../src/core/errors.js'
import { lastPartBytes, vectors } from './cryppo-vectors.fixture.js'

const [helloVector, , yamlVector] = vectors.aes256gcm_with_key
const derivedVector = vectors.aes256gcm_with_derived_key[0]
const [rubyKeyVector, rubyDerivedVector] = vectors.ruby_interop

function chunk (bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

function artifactsPart (serialized: string, index = 2): string {
  return serialized.split('.')[index]
}

describe('current encryption artifacts (meeco-vault §1.3)', () => {
  it('are the version byte A followed by BSON {iv, at, ad}, byte for byte as cryppo-js writes them', () => {
    const encoded = encodeEncryptionArtifacts({
      iv: Buffer.from(helloVector.iv_hex, 'hex'),
      at: Buffer.from('be9119261389edf0cd84317533db9c52', 'hex'),
      ad: 'none',
    })
    expect(encoded).toBe(artifactsPart(helloVector.serialized))
    expect(Buffer.from(encoded, 'base64').toString('hex')).toBe('41' + String(helloVector.artifacts.bsonHex))
  })

  it('are QQUAAAAA when empty, as for Rsa4096', () => {
    expect(encodeEncryptionArtifacts({})).toBe('QQUAAAAA')
  })

  it('decode to iv, tag and associated data', () => {
    expect(decodeEncryptionArtifacts(artifactsPart(helloVector.serialized))).toEqual({
      iv: Buffer.from(helloVector.iv_hex, 'hex'),
      at: Buffer.from('be9119261389edf0cd84317533db9c52', 'hex'),
      ad: 'none',
    })
  })

  it('decode by field name whatever the order (Ruby writes ad, at, iv)', () => {
    const artifacts = decodeEncryptionArtifacts(artifactsPart(rubyKeyVector.serialized))
    expect(artifacts.iv?.toString('hex')).toBe('2eb160e4f4ed3be424fe390e')
    expect(artifacts.at?.toString('hex')).toBe('ed15c4b4ec97226cc48eb6295684d7fd')
    expect(artifacts.ad).toBe('none')
  })

  it('decode to nothing for the empty RSA document', () => {
    expect(decodeEncryptionArtifacts('QQUAAAAA')).toEqual({})
  })
})

describe('current derivation artifacts', () => {
  it('are the version byte K followed by BSON {iv, i, l, hash}, byte for byte as cryppo-js writes them', () => {
    const encoded = encodeDerivationArtifacts({
      iv: Buffer.from(derivedVector.salt_hex, 'hex'), i: 20000, l: 32, hash: 'SHA256',
    })
    expect(encoded).toBe(artifactsPart(derivedVector.serialized, 4))
    expect(lastPartBytes(derivedVector.serialized).toString('hex')).toBe('4b' + derivedVector.derivation_artifacts.bsonHex)
  })

  it('decode Ruby artifacts, which carry no hash', () => {
    expect(decodeDerivationArtifacts(artifactsPart(String(rubyDerivedVector.serialized), 4))).toEqual({
      iv: Buffer.from('e7106815c1bc891843ab4ca28710b5fd8325e97d', 'hex'), i: 21138, l: 32,
    })
  })
})

describe('legacy YAML artifacts', () => {
  it('decode as cryppo-js wrote them, with !binary tags', () => {
    expect(decodeEncryptionArtifacts(artifactsPart(yamlVector.serialized))).toEqual({
      iv: Buffer.from(yamlVector.iv_hex, 'hex'),
      at: Buffer.from('be9119261389edf0cd84317533db9c52', 'hex'),
      ad: 'none',
    })
  })

  it('decode derivation artifacts', () => {
    const part = artifactsPart(derivedVector.serialized_with_legacy_yaml_derivation_part, 4)
    expect(decodeDerivationArtifacts(part)).toEqual({
      iv: Buffer.from(derivedVector.salt_hex, 'hex'), i: 20000, l: 32, hash: 'SHA256',
    })
  })

  it('decode the empty RSA mapping', () => {
    expect(decodeEncryptionArtifacts('LS0tCnt9Cg==')).toEqual({})
  })

  it("decode old Ruby's quoted keys with !!binary", () => {
    const text = "---\n'ad': none\n'at': !!binary |-\n  vpEZJhOJ7fDNhDF1M9ucUg==\n'iv': !!binary |-\n  CgsMDQ4PEBESExQV\n"
    expect(decodeEncryptionArtifacts(chunk(text))).toEqual({
      iv: Buffer.from(yamlVector.iv_hex, 'hex'),
      at: Buffer.from('be9119261389edf0cd84317533db9c52', 'hex'),
      ad: 'none',
    })
  })
})

describe('malformed artifacts', () => {
  const bson = serialize({ iv: Buffer.alloc(12), at: Buffer.alloc(16), ad: 'none' })

  it.each([
    ['an unknown version byte', chunk(Buffer.concat([Buffer.from('Z'), bson])), "have an unsupported version byte (expected 'A')"],
    ['derivation artifacts where encryption ones belong', chunk(Buffer.concat([Buffer.from('K'), bson])), 'unsupported version byte'],
    ['truncated BSON', chunk(Buffer.concat([Buffer.from('A'), bson.subarray(0, 20)])), 'are not a valid BSON document'],
    ['nothing at all', '', 'are empty'],
    ['invalid base64', 'QQ$UAAAAA', 'encryption artifacts is not valid base64url'],
    ['YAML that is not a mapping', chunk('---\n- iv\n'), 'must be a YAML mapping'],
    ['YAML that does not parse', chunk('--- {iv: [\n'), 'are not valid YAML'],
    ['an iv that is not binary', chunk(Buffer.concat([Buffer.from('A'), serialize({ iv: 'abc' })])), "'iv' must be binary"],
    ['ad that is not a string', chunk(Buffer.concat([Buffer.from('A'), serialize({ ad: 7 })])), "'ad' must be a string"],
  ])('%s give a 400 saying what is wrong', (_case, text, message) => {
    expect(() => decodeEncryptionArtifacts(text)).toThrow(BadRequest)
    expect(() => decodeEncryptionArtifacts(text)).toThrow(message)
  })

  it('derivation artifacts without iterations give a 400', () => {
    const text = chunk(Buffer.concat([Buffer.from('K'), serialize({ iv: Buffer.alloc(20), l: 32 })]))
    expect(() => decodeDerivationArtifacts(text)).toThrow('derivation artifacts must hold the salt (iv), iterations (i) and key length (l)')
  })

  it('derivation artifacts with fractional iterations give a 400', () => {
    const text = chunk(Buffer.concat([Buffer.from('K'), serialize({ iv: Buffer.alloc(20), i: 1.5, l: 32 })]))
    expect(() => decodeDerivationArtifacts(text)).toThrow("derivation artifacts: 'i' must be an integer")
  })
})
