import { Base64Error, decodePackageBase64, encodePackageBase64 } from '../../../src/core/intercoop/package-base64.js'

describe('package base64 (reference §A1): url-safe alphabet with padding', () => {
  it('keeps the = padding Node drops from base64url', () => {
    expect(encodePackageBase64(Buffer.from('ab'))).toBe('YWI=')
    expect(encodePackageBase64(Buffer.from([0xfb, 0xff, 0xbf]))).toBe('-_-_')
  })

  it.each([
    ['SGVsbG8=', 'Hello'], ['SGVsbG8==', 'Hello'], ['SGVs bG8=', 'Hello'], ['SGVsbG8=extra', 'Hello'], ['SG=Vs', 'Hel'], ['ab!cd', 'i\xb7\x1d'],
  ])('decodes %j leniently as Python does', (text, bytes) => {
    expect(decodePackageBase64(text)).toEqual(Buffer.from(bytes, 'latin1'))
  })

  it.each([
    ['SO', 'Incorrect padding'], ['SGVsbG8', 'Incorrect padding'], ['a===b', 'Incorrect padding'],
    ['abcde', 'Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4'],
    ['añb', 'string argument should contain only ASCII characters'],
  ])('refuses %j with Python\'s text: %s', (text, message) => {
    expect(() => decodePackageBase64(text)).toThrow(new Base64Error(message))
  })
})
