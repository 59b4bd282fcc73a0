import { type IpAddress, parseIp, parseIpv4Value } from '../../model/ip-address.js';
import type { SignIn } from '../../snapshot/graph-types.js';

/** What `ipKind` holds for an event: not parsed yet, IPv4 (see `ipv4`), IPv6 (see `ip6`), malformed. */
export const IP_UNPARSED = 0;
export const IP_V4 = 1;
export const IP_V6 = 2;
export const IP_MALFORMED = 3;

/**
 * One page of sign-ins reduced to what the detectors read, as columns: event `i` is
 * `time[i]`, `user[i]`, …, with the raw record in `raw[i]` while its page is folded. The
 * columns are reused from page to page, so reading millions of events makes no object per
 * event; detectors copy the few fields they keep into their own compact state.
 */
export class EventPage {
  count = 0;
  raw: SignIn[] = [];
  /** `createdDateTime` in epoch milliseconds (UTC). */
  time = new Float64Array(0);
  /** The user's number: see SignInPass.userName. */
  user = new Int32Array(0);
  /** `status.errorCode`; 0 is a successful sign-in. */
  errorCode = new Float64Array(0);
  ipKind = new Uint8Array(0);
  /** An IPv4 address as one unsigned 32-bit number. */
  ipv4 = new Float64Array(0);
  ip6: (IpAddress | undefined)[] = [];

  constructor(
    /** The user key (lower-case UPN, or object ID) of each user number. */
    readonly userNames: readonly string[],
  ) {}

  /** Empties the page for `capacity` events, growing the columns when needed. */
  reset(capacity: number): void {
    if (this.time.length < capacity) {
      const size = Math.max(capacity, this.time.length * 2, 1024);
      this.time = new Float64Array(size);
      this.user = new Int32Array(size);
      this.errorCode = new Float64Array(size);
      this.ipKind = new Uint8Array(size);
      this.ipv4 = new Float64Array(size);
    }
    this.raw.length = 0;
    this.ip6.length = 0;
    this.count = 0;
  }

  push(raw: SignIn, time: number, user: number, errorCode: number): void {
    const i = this.count++;
    this.raw[i] = raw;
    this.time[i] = time;
    this.user[i] = user;
    this.errorCode[i] = errorCode;
    this.ipKind[i] = IP_UNPARSED;
    this.ip6[i] = undefined;
  }

  /** Parses event `i`'s `ipAddress` once, however many detectors ask; returns its kind. */
  ip(i: number): number {
    const kind = this.ipKind[i] ?? IP_MALFORMED;
    if (kind !== IP_UNPARSED) return kind;
    const text = this.raw[i]?.ipAddress;
    let parsed = IP_MALFORMED;
    if (typeof text === 'string' && text.length > 0 && text.length <= 45) {
      const v4 = parseIpv4Value(text);
      if (v4 >= 0) {
        this.ipv4[i] = v4;
        parsed = IP_V4;
      } else if (text.includes(':')) {
        const ip = parseIp(text);
        if (ip?.version === 4) {
          // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) is that IPv4 host.
          const b = ip.bytes;
          this.ipv4[i] = (b[0] ?? 0) * 16777216 + (((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0));
          parsed = IP_V4;
        } else if (ip) {
          this.ip6[i] = ip;
          parsed = IP_V6;
        }
      }
    }
    this.ipKind[i] = parsed;
    return parsed;
  }

  /** The user key of event `i`. */
  userName(i: number): string {
    return this.userNames[this.user[i] ?? 0] ?? '';
  }
}
