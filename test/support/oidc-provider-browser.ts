// A "browser" for the onboarding tests: fetch with redirects followed by hand and one cookie jar for
// 127.0.0.1 (cookies ignore ports, notes 6, so the provider's and the service's cookies share it,
// as they would in a real browser). `authorize` walks /auth/api → provider → interaction → callback.
export interface HttpAnswer { status: number, headers: Headers, text: string, json: () => any, url: string }

export class Browser {
  private readonly cookies = new Map<string, string>()

  cookieNames (): string[] { return [...this.cookies.keys()] }

  forget (name: string): void { this.cookies.delete(name) }

  async request (url: string, init: { method?: string, headers?: Record<string, string>, body?: string } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...init.headers }
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) this.remember(line)
    const text = await response.text()
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text), url }
  }

  private remember (line: string): void {
    const [pair, ...attributes] = line.split(';')
    const equals = pair.indexOf('=')
    const name = pair.slice(0, equals).trim()
    const value = pair.slice(equals + 1).trim()
    const expired = attributes.some(a => {
      const [key, v] = a.trim().split('=')
      return (key.toLowerCase() === 'max-age' && Number(v) <= 0) || (key.toLowerCase() === 'expires' && Date.parse(v) < Date.now())
    })
    if (expired || value === '') this.cookies.delete(name)
    else this.cookies.set(name, value)
  }

  /**
   * Starts at `startUrl` and follows redirects until one points at `stopAt` (returned, not fetched)
   * or an answer is not a redirect (then that answer is thrown as an error: the walk went wrong).
   */
  async followUntil (startUrl: string, stopAt: string, headers: Record<string, string> = {}): Promise<string> {
    let url = startUrl
    for (let hop = 0; hop < 20; hop++) {
      const answer = await this.request(url, { headers: hop === 0 ? headers : {} })
      const location = answer.headers.get('location')
      if (answer.status < 300 || answer.status >= 400 || location === null) {
        throw new Error(`expected a redirect from ${url}, got ${answer.status}: ${answer.text.slice(0, 300)}`)
      }
      url = new URL(location, url).href
      if (url.startsWith(stopAt)) return url
    }
    throw new Error(`more than 20 redirects from ${startUrl}`)
  }

  /** The provider's redirect back to the service (its code, state and iss), after signing in and consenting. */
  async authorize (serviceUrl: string, options: { owner?: { uuid: string, token: string } } = {}): Promise<string> {
    const start = options.owner === undefined ? `${serviceUrl}/auth/api` : `${serviceUrl}/auth/api?owner=${encodeURIComponent(options.owner.uuid)}`
    const headers: Record<string, string> = options.owner === undefined ? {} : { authorization: `Basic ${Buffer.from(`${options.owner.uuid}:${options.owner.token}`).toString('base64')}` }
    return await this.followUntil(start, `${serviceUrl}/auth/api/callback`, headers)
  }

  /** The whole onboarding as an API client: authorize, then the callback with Accept: application/json. */
  async onboard (serviceUrl: string, options: { owner?: { uuid: string, token: string }, accept?: string } = {}): Promise<HttpAnswer> {
    const callback = await this.authorize(serviceUrl, options)
    return await this.request(callback, { headers: { accept: options.accept ?? 'application/json' } })
  }
}
