// Keys the service derives from its pepper for its own bookkeeping: the credentials-device integrity
// MAC and the searchable keyed ids of provider accounts and authorizing devices (meshblu-endo §5.4,
// where the original used deterministic RSA signatures for the same purposes).
import { createHmac, hkdfSync } from 'node:crypto'

export class ServiceSecrets {
  private readonly integrityKey: Buffer
  private readonly idKey: Buffer

  constructor (pepper: Buffer) {
    this.integrityKey = Buffer.from(hkdfSync('sha256', pepper, Buffer.alloc(0), 'endo-vault credentials integrity', 32))
    this.idKey = Buffer.from(hkdfSync('sha256', pepper, Buffer.alloc(0), 'endo-vault keyed ids', 32))
  }

  /** MAC over a JSON value (the `endo` blob of a credentials device). */
  integrityOf (value: unknown): string {
    return createHmac('sha256', this.integrityKey).update(JSON.stringify(value)).digest('base64')
  }

  /** A deterministic keyed id (searchable, reveals nothing): `idKey`, `authorizedKey`. */
  keyedId (text: string): string {
    return createHmac('sha256', this.idKey).update(text).digest('base64url')
  }
}
