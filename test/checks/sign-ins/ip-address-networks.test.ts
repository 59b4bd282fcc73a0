import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrContainsV4,
  ipv4Value,
  parseCidr,
  parseIp,
} from '../../../src/checks/sign-ins/ip-address.js';

/*
 * The numbers and network tests behind the sign-in detectors' egress blocks: an IPv4 address as
 * one 32-bit value, /0 blocks, and the two IP versions never matching each other.
 */

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR block: ${text}`);
  return parsed;
}

function ip(text: string) {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an address: ${text}`);
  return parsed;
}

describe('sign-in IP networks', () => {
  it.each([
    ['198.51.100.7', 198 * 16777216 + 51 * 65536 + 100 * 256 + 7],
    ['255.255.255.255', 2 ** 32 - 1],
    ['0.0.0.1', 1],
  ])('%s is the value %i', (text, value) => {
    expect(ipv4Value(ip(text))).toBe(value);
  });

  it.each([
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '0.0.0.0', true],
    ['198.51.100.0/24', '198.51.100.255', true],
    ['198.51.100.0/24', '198.51.101.0', false],
    ['::/0', '203.0.113.9', false],
    ['2001:db8::/32', '203.0.113.9', false],
  ])('the IPv4 value check: %s holds %s: %s', (block, address, holds) => {
    expect(cidrContainsV4(cidr(block), ipv4Value(ip(address)))).toBe(holds);
  });

  it.each([
    ['0.0.0.0/0', '2001:db8::1', false],
    ['::/0', '198.51.100.7', false],
    ['::/0', '2001:db8::1', true],
    ['0.0.0.0/0', '198.51.100.7', true],
  ])('%s holds %s: %s', (block, address, holds) => {
    expect(cidrContains(cidr(block), ip(address))).toBe(holds);
  });
});
