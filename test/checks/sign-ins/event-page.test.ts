import { describe, expect, it } from 'vitest';
import { EventPage, IP_MALFORMED, IP_V4, IP_V6 } from '../../../src/checks/sign-ins/event-page.js';
import { readableIp } from '../../../src/model/ip-address.js';

/*
 * EventPage.ip: how each sign-in's address is classified once, for every detector that asks.
 */

describe('EventPage.ip', () => {
  it.each<[string, string | null, number, number | string | null]>([
    ['a dotted quad', '198.51.100.7', IP_V4, 3325256711],
    ['0.0.0.0', '0.0.0.0', IP_V4, 0],
    ['an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2), as its IPv4 host', '::ffff:198.51.100.7', IP_V4, 3325256711],
    ['the longest IPv6 text, 45 characters', '0000:0000:0000:0000:0000:ffff:255.255.255.255', IP_V4, 4294967295],
    ['an IPv6 address', '2001:db8::1', IP_V6, '2001:db8::1'],
    ['a dotted quad with a leading zero', '198.051.100.1', IP_MALFORMED, null],
    ['three parts', '1.2.3', IP_MALFORMED, null],
    ['colons but no address', 'not:an:ip', IP_MALFORMED, null],
    ['a word', 'garbage', IP_MALFORMED, null],
    ['an empty text', '', IP_MALFORMED, null],
    ['no address', null, IP_MALFORMED, null],
  ])('%s', (_name, ipAddress, kind, value) => {
    const page = new EventPage(['u@contoso.test']);
    page.reset(2);
    // The first event makes the column hold something other than this event's address.
    page.push({ id: 'before', createdDateTime: '2026-11-27T00:00:00Z', ipAddress: '203.0.113.9' }, 0, 0, 0);
    page.ip(0);
    page.push({ id: 'e', createdDateTime: '2026-11-27T00:00:00Z', ipAddress }, 0, 0, 0);
    expect(page.ip(1)).toBe(kind);
    // Asked again, the same answer.
    expect(page.ip(1)).toBe(kind);
    const ip6 = page.ip6[1];
    if (kind === IP_V4) expect([page.ipv4[1], ip6]).toEqual([value, undefined]);
    else if (kind === IP_V6) expect(ip6 && readableIp(ip6)).toBe(value);
    else expect(ip6).toBeUndefined();
  });
});
