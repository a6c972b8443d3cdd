import { decodeBase64Url, encodeBase64Url } from '../../../src/core/crypto/base64url.js'
import { BadRequest } from '../../../src/core/errors.js'

describe('encoding (meeco-vault §1.2)', () => {
  it('uses the url-safe alphabet and keeps the = padding', () => {
    expect(encodeBase64Url(Buffer.from([0xfb, 0xff]))).toBe('-_8=')
    expect(encodeBase64Url(Buffer.from('a'))).toBe('YQ==')
  })

  it('encodes only the viewed bytes of a Uint8Array slice', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3)
    expect(encodeBase64Url(bytes)).toBe('AgM=')
  })
})

describe('decoding', () => {
  it('accepts the url-safe and the standard alphabet alike', () => {
    expect(decodeBase64Url('-_8=')).toEqual(Buffer.from([0xfb, 0xff]))
    expect(decodeBase64Url('+/8=')).toEqual(Buffer.from([0xfb, 0xff]))
  })

  it('accepts text without padding', () => {
    expect(decodeBase64Url('YQ')).toEqual(Buffer.from('a'))
  })

  it('decodes the empty string to no bytes', () => {
    expect(decodeBase64Url('')).toEqual(Buffer.alloc(0))
  })

  it.each([
    ['a character outside both alphabets', 'ab$d'],
    ['padding in the middle', 'YQ==YQ=='],
    ['a dangling single character', 'YWJjZ'],
    ['padding on an incomplete quad', 'YQ='],
    ['whitespace', 'YW Jj'],
  ])('rejects %s with a 400 naming the value', (_case, text) => {
    expect(() => decodeBase64Url(text, 'Aes256Gcm data')).toThrow(BadRequest)
    expect(() => decodeBase64Url(text, 'Aes256Gcm data')).toThrow('Aes256Gcm data is not valid base64url')
  })
})
