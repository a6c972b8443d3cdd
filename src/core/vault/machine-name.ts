// Meeco's machine names (meeco-vault §3): from a label, lower case, spaces to `_`, other non-alphanumerics dropped.

export function machineName (label: string, fallback = 'unnamed'): string {
  const name = label.trim().toLowerCase().replace(/\s+/g, '_').replace(/[^a-z0-9_]/g, '')
  return name === '' ? fallback : name
}
