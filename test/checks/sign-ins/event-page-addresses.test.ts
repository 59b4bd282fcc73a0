import { describe, expect, it } from 'vitest';
import { EventPage, IP_MALFORMED, IP_V4, IP_V6 } from '../../../src/checks/sign-ins/event-page.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * How a page of sign-ins reads each event's address, once: IPv4 (an IPv4-mapped IPv6 address
 * included) as one number, IPv6 as bytes, and anything else, a missing address included, as
 * malformed.
 */

function pageOf(addresses: readonly (string | null)[]): EventPage {
  const page = new EventPage(['a@contoso.test']);
  page.reset(addresses.length);
  addresses.forEach((ipAddress, k) => {
    const raw: SignIn = {
      ...signIn({ id: `e${k}`, time: 0, user: 'a@contoso.test', ip: '' }),
      ipAddress,
    };
    page.push(raw, 0, 0, 0);
  });
  return page;
}

describe('EventPage addresses', () => {
  it.each([
    ['198.51.100.7', IP_V4, 198 * 16777216 + 51 * 65536 + 100 * 256 + 7],
    ['0.0.0.0', IP_V4, 0],
    ['::ffff:192.0.2.1', IP_V4, 192 * 16777216 + 2 * 256 + 1],
    // 45 characters, the longest an address can be written.
    ['0000:0000:0000:0000:0000:ffff:255.255.255.255', IP_V4, 2 ** 32 - 1],
  ])('%s is IPv4, the value %i', (text, kind, value) => {
    const page = pageOf([text]);
    expect(page.ip(0)).toBe(kind);
    expect(page.ipv4[0]).toBe(value);
    expect(page.ip6[0]).toBeUndefined();
  });

  it('an IPv6 address is kept as its bytes', () => {
    const page = pageOf(['2001:db8::1']);
    expect(page.ip(0)).toBe(IP_V6);
    expect([...(page.ip6[0]?.bytes ?? [])]).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it.each([['not:an:address'], ['bogus'], [''], [null], ['0000:0000:0000:0000:0000:ffff:255.255.255.255:0']])(
    '%j is malformed',
    (text) => {
      const page = pageOf([text]);
      expect(page.ip(0)).toBe(IP_MALFORMED);
      expect(page.ip6[0]).toBeUndefined();
    },
  );

  it('each event of a page is read on its own, and asked again gives the same kind', () => {
    const page = pageOf(['2001:db8::1', null, '203.0.113.9']);
    expect([page.ip(0), page.ip(1), page.ip(2), page.ip(0)]).toEqual([IP_V6, IP_MALFORMED, IP_V4, IP_V6]);
  });
});
