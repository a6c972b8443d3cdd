// What a job hands a domain: who it runs for and the person's opened credentials. A leaf module, so the
// domains (vault, organizations, intercoop, acl) can take these without importing the job runner (endo/),
// which sits above them and imports them.

/** Who a job runs for (meshblu-endo §5.5 route parsing). */
export interface JobParties {
  /** F: the device that sent the job and gets the reply. */
  senderUuid: string
  /** U: the person's user device; the reply comes from it. */
  userUuid: string
  /** C: the credentials device holding the person's encrypted credentials. */
  credentialsUuid: string
}

/** What a credentials envelope holds. `secrets` never reaches a reply. */
export interface CredentialsBlob {
  provider: string
  id: string
  username?: string
  profile?: Record<string, unknown>
  secrets: {
    credentials?: { accessToken?: string, refreshToken?: string, expiresAt?: number, scope?: string }
    [key: string]: unknown
  }
  /** Vault keys (DEK, connection private keys, …) owned by the vault domain. */
  vault?: Record<string, unknown>
  [key: string]: unknown
}

/** The person's credentials as a job sees them. `secrets` stay inside the service: never put them in a reply. */
export interface JobCredentials {
  /** The decrypted blob. */
  readonly blob: CredentialsBlob
  /** Changes and saves the blob (vault keys, refreshed tokens). */
  update: (change: (blob: CredentialsBlob) => CredentialsBlob | void) => Promise<CredentialsBlob>
}
