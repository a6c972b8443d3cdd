// Translatable descriptor values (reference §A4): a plain string, or a map language → text.
// The person's language first, then English and Spanish (upstream falls back to `es`), then any.

export type Translatable = string | Record<string, string>

export function translate (value: Translatable, lang: string): string {
  if (typeof value === 'string') return value
  return value[lang] ?? value.en ?? value.es ?? Object.values(value)[0] ?? ''
}
