// How a client address is counted by the per-address limits (failed authentications, registrations).
// A leaf module: it imports nothing of ours.

/**
 * What is counted for an address: IPv4 as is (also when IPv4-mapped, so TCP and a dual-stack HTTP listener
 * agree), IPv6 by its /64 prefix, since one host is usually given a whole /64.
 */
export function addressKey (address: string): string {
  const [zoneless = ''] = address.split('%', 1)
  const bare = zoneless.toLowerCase()
  const mappedIpv4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare)?.[1]
  if (mappedIpv4 !== undefined) return mappedIpv4
  if (!bare.includes(':')) return bare
  const [head, tail] = bare.split('::', 2)
  const groups = (text: string | undefined): string[] => text === undefined || text === '' ? [] : text.split(':')
  const left = groups(head)
  const right = groups(tail)
  const full = tail === undefined ? left : [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${full.slice(0, 4).map(group => (Number.parseInt(group, 16) || 0).toString(16)).join(':')}::/64`
}
