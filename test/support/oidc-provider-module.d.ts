// The little of oidc-provider 9 (ESM, ships no types) that test/support/oidc-provider.ts uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface Interaction {
    uid: string
    grantId?: string
    prompt: { name: string, details: Record<string, unknown> }
    params: Record<string, unknown>
    session?: { accountId?: string }
  }

  interface Grant {
    addOIDCScope: (scope: string) => void
    addOIDCClaims: (claims: string[]) => void
    save: () => Promise<string>
  }

  export default class Provider {
    constructor (issuer: string, configuration: Record<string, unknown>)
    proxy: boolean
    callback: () => (req: IncomingMessage, res: ServerResponse) => void
    on: (event: string, listener: (...args: any[]) => void) => void
    interactionDetails: (req: IncomingMessage, res: ServerResponse) => Promise<Interaction>
    interactionFinished: (req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }) => Promise<void>
    Grant: {
      new (properties: { accountId: string, clientId: string }): Grant
      find: (id: string) => Promise<Grant | undefined>
    }
  }
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  export function createMemoryAdapter (clockTolerance?: number): unknown
}
