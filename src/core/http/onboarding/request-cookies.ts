// Cookies of a request (no cookie-parser here): name → value, first occurrence wins.
import type { Request } from 'express'

export function requestCookies (req: Request): Map<string, string> {
  const cookies = new Map<string, string>()
  const header = req.headers.cookie
  if (typeof header !== 'string') return cookies
  for (const part of header.split(';')) {
    const equals = part.indexOf('=')
    if (equals <= 0) continue
    const name = part.slice(0, equals).trim()
    let value = part.slice(equals + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    try { value = decodeURIComponent(value) } catch { continue }
    if (!cookies.has(name)) cookies.set(name, value)
  }
  return cookies
}
