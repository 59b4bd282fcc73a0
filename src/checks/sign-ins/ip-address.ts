/**
 * IP addresses as sign-in logs carry them: IPv4 dotted quads (RFC 791) and IPv6 text forms
 * (RFC 4291 §2.2, including `::` and an embedded IPv4 tail). Parsing is strict, because a
 * malformed address must be counted and skipped, never guessed at.
 */

/** A parsed address: IPv4 as one 32-bit number, IPv6 as eight 16-bit groups. */
export type IpAddress =
  | { readonly version: 4; readonly value: number }
  | { readonly version: 6; readonly groups: readonly number[] };

const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    // Leading zeros are refused: some stacks read them as octal (RFC 6943 §3.1.1).
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      continue;
    }
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text: string): number[] | undefined {
  // Zone indices (`%eth0`) never appear in public sign-in logs; refuse them.
  if (text.includes('%')) return undefined;
  const gap = text.indexOf('::');
  if (gap !== text.lastIndexOf('::')) return undefined;
  if (gap === -1) {
    const groups = parseGroups(text);
    return groups?.length === 8 ? groups : undefined;
  }
  const head = parseGroups(text.slice(0, gap));
  const tail = parseGroups(text.slice(gap + 2));
  if (!head || !tail) return undefined;
  // `::` stands for at least one group of zeros.
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** Parses an IPv4 or IPv6 address; `undefined` for anything malformed. */
export function parseIp(text: string | null | undefined): IpAddress | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 45) return undefined;
  if (text.includes(':')) {
    const groups = parseIpv6(text);
    if (!groups) return undefined;
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) is that IPv4 host.
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      return { version: 4, value: (groups[6] ?? 0) * 65536 + (groups[7] ?? 0) };
    }
    return { version: 6, groups };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

function ipv4Text(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** RFC 5952 canonical text: lower case, leading zeros dropped, the longest zero run as `::`. */
function ipv6Text(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The canonical text of an address, so one host always has one key. */
export function ipText(ip: IpAddress): string {
  return ip.version === 4 ? ipv4Text(ip.value) : ipv6Text(ip.groups);
}

/**
 * The network a sprayer is likely to rotate within: the /24 of an IPv4 address, the /64 of an
 * IPv6 address (the smallest IPv6 subnet a site is assigned, RFC 6177 §3).
 */
export function sourcePrefix(ip: IpAddress): string {
  if (ip.version === 4) return `${ipv4Text(ip.value - (ip.value % 256))}/24`;
  return `${ipv6Text([...ip.groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}

/** A CIDR block from the policy, e.g. `198.51.100.0/24` or `2001:db8::/32`. */
export interface Cidr {
  readonly text: string;
  readonly base: IpAddress;
  readonly bits: number;
}

/** Parses a CIDR block; `undefined` when malformed. Host bits may be set; they are ignored. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const base = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!base) return undefined;
  const max = base.version === 4 ? 32 : 128;
  const bitsText = slash === -1 ? String(max) : text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > max) return undefined;
  return { text, base, bits };
}

/** Whether `ip` lies inside `cidr`. IPv4 and IPv6 never match each other. */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.base.version === 4 && ip.version === 4) {
    if (cidr.bits === 0) return true;
    const size = 2 ** (32 - cidr.bits);
    return Math.floor(cidr.base.value / size) === Math.floor(ip.value / size);
  }
  if (cidr.base.version === 6 && ip.version === 6) {
    let remaining = cidr.bits;
    for (let i = 0; i < 8 && remaining > 0; i++) {
      const take = Math.min(16, remaining);
      const shift = 16 - take;
      if ((cidr.base.groups[i] ?? 0) >> shift !== (ip.groups[i] ?? 0) >> shift) return false;
      remaining -= take;
    }
    return true;
  }
  return false;
}
