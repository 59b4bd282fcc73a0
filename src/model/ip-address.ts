/*
 * IP addresses as text and bytes: one parser for SPF terms, sign-in logs and the policy's CIDR
 * parameters (RFC 4291 §2.2 text with `::` and an IPv4 tail, strict dotted quads).
 */

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
  const value = parseIpv4Value(text);
  return value < 0 ? undefined : Uint8Array.of(value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
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
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (group(ip.bytes, i) !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && group(ip.bytes, j) === 0) j++;
    // RFC 5952 §4.2.2: a single zero group is not shortened; §4.2.3: the first longest run is.
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => {
    let out = '';
    for (let i = from; i < to; i++) out += (i === from ? '' : ':') + group(ip.bytes, i).toString(16);
    return out;
  };
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** The 16-bit group `index` (0–7) of an IPv6 address. */
export function group(bytes: Uint8Array, index: number): number {
  return ((bytes[index * 2] ?? 0) << 8) | (bytes[index * 2 + 1] ?? 0);
}

/**
 * A strict dotted quad (no leading zeros, which some stacks read as octal: RFC 6943 §3.1.1) as
 * one unsigned 32-bit number, or -1. Reads characters in place: sign-in logs ask this of
 * millions of addresses, so it makes no substrings, arrays or regex matches.
 */
export function parseIpv4Value(text: string): number {
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/** The dotted quad of an address held as one unsigned 32-bit number. */
export function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
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

/** qnum = 0-255 without leading zeros (§12: ip4-network). */
export function isIp4Network(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** Parses an IPv6 address (with an optional dotted IPv4 tail) into 16 bytes. */
export function parseIp6(text: string): Uint8Array | undefined {
  let head = text;
  const tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (!isIp4Network(dotted[1] ?? '')) return undefined;
    tail.push(...(dotted[1] ?? '').split('.').map(Number));
    head = `${text.slice(0, dotted.index)}:${'0:0'}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i] ?? '';
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    const v = parseInt(g, 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 0xff;
  }
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
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
