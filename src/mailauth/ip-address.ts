import { parseIp6 } from './spf-record.js';

/** A client address in both forms SPF needs: bytes for CIDR matching and text for macros. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

/**
 * A dotted quad (RFC 7208 §4.6.4 ip4-network: decimal octets without leading zeros) as bytes,
 * in one pass: it runs for every A record and ip4 term an SPF evaluation meets.
 */
export function parseIp4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 3) return undefined;
      bytes[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      // "0" alone is fine; "01" is not.
      if (digits > 0 && value === 0) return undefined;
      value = value * 10 + (c - 0x30);
      if (++digits > 3 || value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return part === 4 ? bytes : undefined;
}

/**
 * Parses an IP address. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is treated as IPv4, as
 * RFC 7208 §5 expects of an SMTP client connecting over IPv6 sockets.
 */
export function parseIp(text: string): IpAddress | undefined {
  const four = parseIp4(text);
  if (four) return { version: 4, bytes: four };
  const six = parseIp6(text);
  if (!six) return undefined;
  const mapped = six.slice(0, 10).every((b) => b === 0) && six[10] === 0xff && six[11] === 0xff;
  if (mapped) return { version: 4, bytes: six.slice(12) };
  return { version: 6, bytes: six };
}

export function inNetwork(ip: IpAddress, network: Uint8Array, prefix: number): boolean {
  if (network.length !== ip.bytes.length) return false;
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((ip.bytes[byte] ?? 0) & mask) !== ((network[byte] ?? 0) & mask)) return false;
  }
  return true;
}

/** Dotted form used by the `i` macro (§7.3): IPv4 dotted quad, IPv6 as 32 dot-separated nibbles. */
export function dottedIp(ip: IpAddress): string {
  if (ip.version === 4) return [...ip.bytes].join('.');
  return [...ip.bytes].flatMap((b) => [(b >> 4).toString(16), (b & 0xf).toString(16)]).join('.');
}

/** Human form used by the `c` macro: IPv4 dotted quad, IPv6 compressed (RFC 5952). */
export function readableIp(ip: IpAddress): string {
  if (ip.version === 4) return [...ip.bytes].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The reverse-lookup name (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(ip: IpAddress): string {
  if (ip.version === 4) return `${[...ip.bytes].reverse().join('.')}.in-addr.arpa`;
  return `${dottedIp(ip).split('.').reverse().join('.')}.ip6.arpa`;
}

export function ipFromRecord(text: string, version: 4 | 6): Uint8Array | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  if (version === 6 && ip.version === 6) return ip.bytes;
  if (version === 4 && ip.version === 4) return ip.bytes;
  return undefined;
}
