// How onboarding answers: JSON for API clients, a small self-contained HTML page for browsers
// (Accept: text/html). Nothing here is cached or sent on as a referrer: the callback URL holds the
// authorization code and the page shows a device token once.
import type { Request, Response } from 'express'

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, c => HTML_ESCAPES[c] ?? c)

export function wantsHtml (req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html'
}

function page (title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:.1rem .3rem;word-break:break-all}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>
`
}

function privateHeaders (res: Response): void {
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
  })
}

export interface OnboardedDevice { uuid: string, token: string, credentialsUuid: string }

/** 201 with the new user device; its token is shown this once. */
export function answerOnboarded (req: Request, res: Response, device: OnboardedDevice): void {
  privateHeaders(res)
  res.status(201)
  if (!wantsHtml(req)) { res.json(device); return }
  res.type('html').send(page('Account connected', `
<p>Your account is connected. This is your device; keep its token safe, it is shown only once.</p>
<dl><dt>Device uuid</dt><dd><code>${escapeHtml(device.uuid)}</code></dd>
<dt>Device token</dt><dd><code>${escapeHtml(device.token)}</code></dd>
<dt>Credentials device</dt><dd><code>${escapeHtml(device.credentialsUuid)}</code></dd></dl>`))
}

/** An onboarding failure: `{error}` as JSON, or a page with the message and a way to start again. */
export function answerRefusal (req: Request, res: Response, code: number, message: string): void {
  privateHeaders(res)
  res.status(code)
  if (!wantsHtml(req)) { res.json({ error: message }); return }
  res.type('html').send(page('The account could not be connected', `<p>${escapeHtml(message)}</p><p><a href="/auth/api">Start again</a></p>`))
}
