import { createPrivateKey, createPublicKey } from 'node:crypto'
import {
  envelopeOf, parsePackage, producePackage, signPayloadYaml, BadPeer, IntercoopError, IntercoopErrorText,
  type IntercoopErrorName,
} from '../../../src/core/intercoop/index.js'
import { vectorFile } from './intercoop.fixture.js'

const privateKey = createPrivateKey(vectorFile.key.privateKeyPemTestOnly)
const spkiKey = createPublicKey(vectorFile.key.publicKeyPem)
const pkcs1Key = createPublicKey(vectorFile.key.publicKeyPemPkcs1)
const keyring = (peerid: string) => { if (peerid === 'testsource') return spkiKey; throw new BadPeer(peerid) }

function refusal (envelope: string): IntercoopError {
  try {
    parsePackage(envelope, keyring)
  } catch (error) {
    if (error instanceof IntercoopError) return error
    throw error
  }
  throw new Error('the package was accepted')
}

describe('intercoop-vectors.json: signed packages (reference §A1)', () => {
  describe.each(vectorFile.vectors.map(v => [v.name, v] as const))('vector %s', (_name, vector) => {
    it('has its signature reproduced byte for byte from the payload YAML', () => {
      expect(signPayloadYaml(vector.payloadYaml, privateKey)).toBe(vector.envelopeFields.signature)
    })

    it('has its whole envelope reproduced byte for byte, padding included', () => {
      expect(envelopeOf(vector.payloadYaml, privateKey)).toBe(vector.envelope)
    })

    it('verifies with the SPKI key and gives back the values, YAML 1.1 types included', () => {
      const parsed = parsePackage(vector.envelope, keyring)
      expect(parsed.originpeer).toBe('testsource')
      expect(parsed.payload).toEqual(vector.values)
      expect(parsed.payloadYaml).toBe(vector.payloadYaml)
    })

    it('verifies with the PKCS#1 key too', () => {
      expect(parsePackage(vector.envelope, () => pkcs1Key).payload).toEqual(vector.values)
    })

    it('is produced from its values as a package that verifies and reads back identically', () => {
      const envelope = producePackage(vector.values, privateKey)
      expect(envelope).toMatch(/^intercoopVersion: '1\.0'\npayload: [A-Za-z0-9_-]+=*\nsignature: [A-Za-z0-9_-]+=*\n$/)
      expect(parsePackage(envelope, keyring).payload).toEqual(vector.values)
    })
  })

  it('writes the ascii-typical payload exactly as the Python reference does', () => {
    const vector = vectorFile.vectors.find(v => v.name === 'ascii-typical')!
    expect(producePackage(vector.values, privateKey)).toBe(vector.envelope)
  })

  it('writes strings YAML 1.1 would misread quoted: NO, 08012, 08', () => {
    const vector = vectorFile.vectors.find(v => v.name === 'unicode-multiline-norway')!
    const payloadYaml = Buffer.from(/payload: (.*)\n/.exec(producePackage(vector.values, privateKey))![1], 'base64url').toString('utf8')
    expect(payloadYaml).toContain("country: 'NO'\n")
    expect(payloadYaml).toContain("postalcode: '08012'\n")
    expect(payloadYaml).toContain("state: '08'\n")
    expect(payloadYaml).toContain('address: "Carrer Major, 5\\n2n 1a"\n')
  })
})

describe('intercoop-vectors.json: refused packages (reference §A2)', () => {
  describe.each(vectorFile.negative.map(v => [v.name, v] as const))('%s', (_name, vector) => {
    const { expected } = vector
    const firstLine = (text: string) => text.split('\n')[0]

    it(`is refused with ${expected.error}, its message and its arguments`, () => {
      const error = refusal(vector.envelope)
      expect(error.name).toBe(expected.error)
      if (vector.messageMatch === 'exact') {
        expect(error.message).toBe(expected.message)
        expect(error.args).toEqual(expected.arguments)
      } else {
        expect(firstLine(error.message)).toBe(firstLine(expected.message))
        expect(error.args.map(a => firstLine(String(a)))).toEqual(expected.arguments.map(firstLine))
      }
    })

    it(`carries HTTP ${expected.httpStatus}`, () => {
      expect(refusal(vector.envelope).code).toBe(expected.httpStatus)
      expect(IntercoopErrorText[expected.error as IntercoopErrorName].code).toBe(expected.httpStatus)
    })
  })

  it('gives the tab refusals the very text of PyYAML, beyond the marked prefix', () => {
    for (const vector of vectorFile.negative.filter(v => v.messageMatch === 'prefix' && v.expected.message.includes("'\\t'"))) {
      expect(refusal(vector.envelope).message).toBe(vector.expected.message)
    }
  })
})

describe('verification order (reference §A1)', () => {
  const vector = vectorFile.vectors[0]
  const fields = vector.envelopeFields

  it('reads an unquoted 1.0 as a number: WrongVersion', () => {
    const error = refusal(`intercoopVersion: 1.0\npayload: ${fields.payload}\nsignature: ${fields.signature}\n`)
    expect(error.name).toBe('WrongVersion')
    expect(error.args[0]).toBe('1.0')
  })

  it('answers an empty body with BadMessage, missing intercoopVersion', () => {
    expect(refusal('').message).toBe('Malformed message: missing intercoopVersion')
  })

  it('refuses a signature that is not base64 as BadSignature', () => {
    const error = refusal(`intercoopVersion: '1.0'\npayload: ${fields.payload}\nsignature: '!!!'\n`)
    expect(error.toWire()).toEqual({ error: 'BadSignature', message: 'Signature verification failed, untrusted content', arguments: [] })
  })

  it('refuses a peer id like ../x as BadPeer, never touching a file', () => {
    const payload = Buffer.from('originpeer: ../x\n').toString('base64')
    expect(refusal(`intercoopVersion: '1.0'\npayload: ${payload}\nsignature: ${fields.signature}\n`).toWire())
      .toEqual({ error: 'BadPeer', message: "The entity '../x' is not a recognized one", arguments: ['../x'] })
  })

  it('says how many data characters a one-too-long payload has, as Python does', () => {
    expect(refusal('intercoopVersion: \'1.0\'\npayload: abcde\nsignature: x\n').message)
      .toBe('Malformed message: Payload is invalid Base64: Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4')
  })

  it('checks the signature over the decoded bytes, so re-encoding the same bytes differently still verifies', () => {
    const unpadded = fields.payload.replace(/=+$/, '') + '='.repeat(4)
    expect(parsePackage(`intercoopVersion: '1.0'\npayload: ${unpadded}\nsignature: ${fields.signature}\n`, keyring).payload).toEqual(vector.values)
  })
})
