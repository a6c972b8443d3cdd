// The person's own values for a transfer, by intercoop field name (reference §A4 `transferFields`):
// from the OAuth profile (OpenID Connect standard claims, plus claims named like a field), and,
// overriding them, from the person's own vault items of one template (slots named like a field).
// The preview shows these values and the activation reads them again, so both read the same way.
import type { JobCredentials, JobParties } from '../job-context.js'
import type { VaultDomain } from '../vault/vault-domain.js'
import { vaultOwnerOf } from '../vault/vault-keys.js'
import type { YamlValue } from './yaml-1-1.js'

export type ValueSource = 'profile' | 'vault'

export interface PersonValues {
  values: Record<string, YamlValue>
  /** Where each value came from. */
  sources: Record<string, ValueSource>
}

/** Fields whose value is a list (upstream: peerroles, langs). */
const LIST_FIELDS = new Set(['peerroles', 'langs'])
/** Fields a profile claim of the same name fills (no standard claim carries them). */
const SAME_NAME_CLAIMS = ['nif', 'innerid', 'peerroles', 'proxynif', 'proxyname'] as const
/** Slot names (lower case, without `_`, `-` or spaces) that mean a field under another name. */
const SLOT_ALIASES: Record<string, string> = {
  phonenumber: 'phone',
  zip: 'postalcode',
  zipcode: 'postalcode',
  locality: 'city',
  province: 'state',
  region: 'state',
  membernumber: 'innerid',
  language: 'lang',
  fullname: 'name',
}
const FIELDS = new Set(['innerid', 'peerroles', 'nif', 'name', 'address', 'postalcode', 'city', 'state', 'country',
  'phone', 'email', 'lang', 'langs', 'proxynif', 'proxyname'])

function text (value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

function list (value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map(item => item.trim())
    return items.length === value.length ? items : undefined
  }
  const single = text(value)
  return single === undefined ? undefined : single.split(',').map(item => item.trim()).filter(item => item !== '')
}

/** The two-letter language of a profile's `locale` claim (`es-ES` → `es`), if any. */
export function langOfProfile (profile: Record<string, unknown> | undefined): string | undefined {
  const locale = text(profile?.locale)
  const lang = locale?.split(/[-_]/)[0]?.toLowerCase()
  return lang !== undefined && /^[a-z]{2,3}$/.test(lang) ? lang : undefined
}

/**
 * Fields from OpenID Connect claims: `name` as upstream writes it ("surname, firstname") when the
 * profile gives family_name and given_name, else the name claim; address parts from the address
 * claim; phone from phone_number; lang from locale; nif, innerid, peerroles, proxynif, proxyname
 * from claims of that name.
 */
export function valuesOfProfile (profile: Record<string, unknown> | undefined): Record<string, YamlValue> {
  if (profile === undefined) return {}
  const values: Record<string, YamlValue | undefined> = {}
  const family = text(profile.family_name)
  const given = text(profile.given_name)
  values.name = family !== undefined && given !== undefined ? `${family}, ${given}` : text(profile.name)
  values.email = text(profile.email)
  values.phone = text(profile.phone_number)
  values.lang = langOfProfile(profile)
  const address = profile.address
  if (typeof address === 'string') {
    values.address = text(address)
  } else if (address !== null && typeof address === 'object' && !Array.isArray(address)) {
    const parts = address as Record<string, unknown>
    values.address = text(parts.street_address) ?? text(parts.formatted)
    values.postalcode = text(parts.postal_code)
    values.city = text(parts.locality)
    values.state = text(parts.region)
    const country = text(parts.country)
    values.country = country !== undefined && /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : country
  }
  for (const claim of SAME_NAME_CLAIMS) values[claim] = LIST_FIELDS.has(claim) ? list(profile[claim]) : text(profile[claim])
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, YamlValue] => entry[1] !== undefined))
}

/** The field a slot name means (`postal_code` → postalcode, `phone_number` → phone), if any. */
export function fieldOfSlot (slotName: string): string | undefined {
  const key = slotName.toLowerCase().replace(/[_\-\s]/g, '')
  const field = SLOT_ALIASES[key] ?? key
  return FIELDS.has(field) ? field : undefined
}

/** Fields from vault slots; an empty slot gives nothing, a later slot overrides an earlier one. */
export function valuesOfSlots (slots: Array<{ name: string, value: string | null }>): Record<string, YamlValue> {
  const values: Record<string, YamlValue> = {}
  for (const slot of slots) {
    const field = fieldOfSlot(slot.name)
    if (field === undefined) continue
    const value = LIST_FIELDS.has(field) ? list(slot.value) : text(slot.value)
    if (value !== undefined) values[field] = value
  }
  return values
}

/** The most items of the template read per job (one list page). */
const MAX_VAULT_ITEMS = 50

/**
 * The person's values: the profile in their credentials, then their own vault items of
 * `vaultTemplate` in creation order (the newest wins). An empty template name reads the profile only.
 */
export async function readPersonValues (
  context: { parties: JobParties, credentials: JobCredentials, services: { vault: VaultDomain } },
  vaultTemplate: string
): Promise<PersonValues> {
  const values: Record<string, YamlValue> = {}
  const sources: Record<string, ValueSource> = {}
  const take = (found: Record<string, YamlValue>, source: ValueSource): void => {
    for (const [field, value] of Object.entries(found)) { values[field] = value; sources[field] = source }
  }
  take(valuesOfProfile(context.credentials.blob.profile), 'profile')
  if (vaultTemplate !== '') {
    const owner = vaultOwnerOf(context)
    const page = await context.services.vault.listItems(owner, { template_name: vaultTemplate, own: true, per_page: MAX_VAULT_ITEMS })
    for (const summary of page.items) {
      const item = await context.services.vault.items.get(owner, summary.id)
      take(valuesOfSlots(item.slots ?? []), 'vault')
    }
  }
  return { values, sources }
}
