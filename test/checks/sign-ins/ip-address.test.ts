import { describe, expect, it } from 'vitest';
import { cidrContains, ipText, parseCidr, parseIp, sourcePrefix } from '../../../src/checks/sign-ins/ip-address.js';

describe('IP addresses of sign-ins', () => {
  it.each([
    ['131.107.159.37', '131.107.159.37', '131.107.159.0/24'],
    ['2001:DB8:0:0:1::A', '2001:db8::1:0:0:a', '2001:db8::/64'],
    ['2001:db8:5:1::a', '2001:db8:5:1::a', '2001:db8:5:1::/64'],
    ['::ffff:192.0.2.1', '192.0.2.1', '192.0.2.0/24'],
    ['::', '::', '::/64'],
  ])('parses %s', (text, canonical, prefix) => {
    const ip = parseIp(text);
    expect(ip && ipText(ip)).toBe(canonical);
    expect(ip && sourcePrefix(ip)).toBe(prefix);
  });

  it.each([
    '123.456.7.89',
    '1.2.3',
    '01.2.3.4',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    'fe80::1%eth0',
    'example.com',
    '',
    '2001:db8::g',
  ])('refuses %s', (text) => expect(parseIp(text)).toBeUndefined());

  it('matches CIDR blocks of both families and never across them', () => {
    const v4 = parseCidr('192.0.2.0/24');
    const v6 = parseCidr('2001:db8:aa::/48');
    expect(v4 && cidrContains(v4, parseIp('192.0.2.255') ?? { version: 4, bytes: new Uint8Array(4) })).toBe(true);
    expect(v4 && cidrContains(v4, parseIp('192.0.3.0') ?? { version: 4, bytes: new Uint8Array(4) })).toBe(false);
    expect(v6 && cidrContains(v6, parseIp('2001:db8:aa:ffff::1') ?? { version: 4, bytes: new Uint8Array(4) })).toBe(
      true,
    );
    expect(v6 && cidrContains(v6, parseIp('2001:db8:ab::1') ?? { version: 4, bytes: new Uint8Array(4) })).toBe(false);
    expect(v6 && cidrContains(v6, parseIp('192.0.2.1') ?? { version: 4, bytes: new Uint8Array(4) })).toBe(false);
    expect(parseCidr('192.0.2.0/33')).toBeUndefined();
    expect(parseCidr('300.0.2.0/24')).toBeUndefined();
  });
});
