// Provider token refresh on the message path (meshblu-endo §5.5 step 4) against a real
// oidc-provider: access tokens live 8 s and the service refreshes 6 s before expiry, so a token is
// due 2 s after it was issued. The provider rotates refresh tokens (notes 12).
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js'
import { onboardThroughProvider, type OnboardedPerson } from '../support/oidc-provider-person.js'
import { startTestService, type TestService } from '../support/test-service.js'
import { watchSecret } from '../support/leak-scan.js'

const ACCESS_TOKEN_TTL = 8
const REFRESH_MARGIN = 6

let oidc: TestOidcProvider
let service: TestService
const seen: string[] = []
const providerSecrets = new Set<string>()

interface StoredTokens { accessToken?: string, refreshToken?: string, expiresAt?: number, scope?: string }

async function storedTokens (credentialsUuid: string): Promise<StoredTokens> {
  const tokens = (await service.endo.credentials.open(credentialsUuid)).secrets.credentials ?? {}
  for (const token of [tokens.accessToken, tokens.refreshToken]) {
    if (typeof token === 'string') { providerSecrets.add(token); watchSecret(token) }
  }
  return tokens
}

/** Waits until the stored access token is within the refresh margin. */
async function untilRefreshIsDue (credentialsUuid: string): Promise<void> {
  const expiresAt = (await storedTokens(credentialsUuid)).expiresAt as number
  const wait = expiresAt - REFRESH_MARGIN * 1000 - Date.now() + 50
  if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
}

async function onboard (account: string): Promise<OnboardedPerson> {
  const person = await onboardThroughProvider(service, oidc, account)
  seen.push(person.answer.text)
  await storedTokens(person.credentialsUuid)
  return person
}

async function job (person: OnboardedPerson, text: string): Promise<any> {
  const reply = await person.sendJob('Echo', { text })
  seen.push(JSON.stringify(reply))
  return reply
}

beforeAll(async () => {
  oidc = await startOidcProvider({ accessTokenTtl: ACCESS_TOKEN_TTL })
  providerSecrets.add(oidc.clientSecret)
  watchSecret(oidc.clientSecret)
  service = await startTestService({ oauth: { ...oidc.oauthConfig, refreshMarginSeconds: REFRESH_MARGIN } })
  oidc.registerClient(`${service.httpUrl}/auth/api/callback`)
})
afterAll(async () => { await service?.stop(); await oidc?.close() })

describe('meshblu-endo §5.5 step 4: a job whose access token expires within the margin', () => {
  let grace: OnboardedPerson
  beforeAll(async () => { grace = await onboard('grace') })
  afterAll(async () => { await grace.end() })

  it('refreshes first: new tokens are stored (the rotated refresh token too) and the job succeeds', async () => {
    await untilRefreshIsDue(grace.credentialsUuid)
    const before = (await storedTokens(grace.credentialsUuid))
    const refreshes = oidc.refreshRequests
    const reply = await job(grace, 'after a refresh')
    expect(reply.metadata).toMatchObject({ code: 200, status: 'OK' })
    expect(reply.data).toEqual({ text: 'after a refresh', username: 'grace' })
    const after = (await storedTokens(grace.credentialsUuid))
    expect(oidc.refreshRequests).toBe(refreshes + 1)
    expect(after.accessToken).not.toBe(before.accessToken)
    expect(after.refreshToken).not.toBe(before.refreshToken)
    expect(after.expiresAt).toBeGreaterThan(before.expiresAt as number)
    expect(after.scope).toBe(before.scope)
  })

  it('stores an access token the provider accepts', async () => {
    const { accessToken } = (await storedTokens(grace.credentialsUuid))
    const userinfo = await fetch(oidc.oauthConfig.userinfoUrl, { headers: { authorization: `Bearer ${accessToken as string}` } })
    expect(userinfo.status).toBe(200)
    expect(((await userinfo.json()) as { sub: string }).sub).toBe('grace')
  })

  it('refreshes once for jobs that arrive together (single-flight), and every one of them succeeds', async () => {
    await untilRefreshIsDue(grace.credentialsUuid)
    const refreshes = oidc.refreshRequests
    const replies = await Promise.all(Array.from({ length: 6 }, async (_, i) => await job(grace, `together ${i}`)))
    expect(replies.map(r => r.metadata.code)).toEqual([200, 200, 200, 200, 200, 200])
    // with rotation a second refresh with the spent token would have revoked the grant (notes 12)
    expect(oidc.refreshRequests).toBe(refreshes + 1)
    expect((await job(grace, 'still fine')).metadata.code).toBe(200)
  })

  it('does not refresh a token that is not yet due', async () => {
    const refreshes = oidc.refreshRequests
    const tokens = (await storedTokens(grace.credentialsUuid))
    expect(Date.now()).toBeLessThan((tokens.expiresAt as number) - REFRESH_MARGIN * 1000)
    expect((await job(grace, 'no refresh')).metadata.code).toBe(200)
    expect(oidc.refreshRequests).toBe(refreshes)
    expect((await storedTokens(grace.credentialsUuid)).accessToken).toBe(tokens.accessToken)
  })
})

describe('a job whose refresh token was revoked at the provider', () => {
  let henry: OnboardedPerson
  let first: any
  beforeAll(async () => {
    henry = await onboard('henry')
    await oidc.revokeToken((await storedTokens(henry.credentialsUuid)).refreshToken as string)
    await untilRefreshIsDue(henry.credentialsUuid)
    first = await job(henry, 'after revocation')
  })
  afterAll(async () => { await henry.end() })

  it('is answered 401 "credentials need to be reconnected" by the user device', () => {
    expect(first.fromUuid).toBe(henry.user.uuid)
    expect(first.metadata).toMatchObject({ code: 401, status: 'Unauthorized', error: { message: 'credentials need to be reconnected' } })
    expect(first.data).toBeUndefined()
  })

  it('is recorded on the user device\'s status device', async () => {
    const statusUuid = (await service.bus.registry.get(henry.user.uuid))?.statusDevice as string
    const errors = ((await service.bus.registry.get(statusUuid))?.status as { errors: any[] }).errors
    expect(errors.at(-1)).toMatchObject({ senderUuid: henry.flow.uuid, code: 401, message: 'credentials need to be reconnected' })
  })

  it('keeps later jobs answered 401 without asking the provider again', async () => {
    const refusals = (): number => service.logLines.filter(line => line.includes('oauth.refresh.refused')).length
    const before = refusals()
    const reply = await job(henry, 'again')
    expect(reply.metadata).toMatchObject({ code: 401, error: { message: 'credentials need to be reconnected' } })
    expect(refusals()).toBe(before)
  })

  it('works again once the person authorizes the same account again', async () => {
    const again = await onboardThroughProvider(service, oidc, 'henry', { owner: henry.owner })
    seen.push(again.answer.text)
    expect(again.credentialsUuid).toBe(henry.credentialsUuid)
    await storedTokens(henry.credentialsUuid)
    const reply = await job(henry, 'reconnected')
    expect(reply.metadata).toMatchObject({ code: 200 })
    await again.end()
  })
})

describe('a job due for a refresh while the provider cannot be reached', () => {
  let ivan: OnboardedPerson
  let before: StoredTokens
  beforeAll(async () => {
    ivan = await onboard('ivan')
    before = (await storedTokens(ivan.credentialsUuid))
    await oidc.close() // connections to the token endpoint are refused from now on
  })
  afterAll(async () => { await ivan.end() })

  it('runs with the stored access token while that has not expired', async () => {
    await untilRefreshIsDue(ivan.credentialsUuid)
    const reply = await job(ivan, 'provider down, token still valid')
    expect(reply.metadata).toMatchObject({ code: 200 })
    expect(service.logLines.some(line => line.includes('oauth.refresh.unavailable') && line.includes(ivan.credentialsUuid))).toBe(true)
  })

  it('is answered 503 once it has expired, and keeps the tokens for when the provider is back', async () => {
    const wait = (before.expiresAt as number) - Date.now() + 50
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
    const reply = await job(ivan, 'provider down, token expired')
    expect(reply.metadata).toMatchObject({ code: 503, error: { message: 'the OAuth provider could not be reached; try again later' } })
    expect((await storedTokens(ivan.credentialsUuid))).toEqual(before)
  })
})

describe('secrets (DESIGN "Secrets never leave the service")', () => {
  it('no reply and no log line holds a provider access token, refresh token or the client secret', () => {
    expect(providerSecrets.size).toBeGreaterThan(6)
    const places = [...seen, ...service.logLines]
    const leaks = [...providerSecrets].filter(secret => places.some(text => text.includes(secret)))
    expect(leaks.map(s => s.slice(0, 6))).toEqual([])
  })
})
