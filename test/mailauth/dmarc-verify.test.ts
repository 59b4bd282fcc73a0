import { describe, expect, it } from 'vitest';
import { verifyDmarc } from '../../src/mailauth/dmarc-verify.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

const ORG: MemoryZone = {
  '_dmarc.example.test': { TXT: ['v=DMARC1; p=reject; np=quarantine'] },
  'mail.example.test': { A: ['192.0.2.1'] },
};

describe('DMARC verification fails closed on DNS errors', () => {
  it('a failed policy lookup is a temperror naming the question', async () => {
    const resolver = memoryResolver({ '_dmarc.example.test': { TXT: 'SERVFAIL' } });
    expect(
      await verifyDmarc(resolver, { fromDomain: 'example.test', dkimPassDomains: [], spfPassDomains: [] }),
    ).toEqual({
      result: 'temperror',
      failedQuery: { question: '_dmarc.example.test/TXT', rcode: 'SERVFAIL' },
    });
  });

  it('no policy is none', async () => {
    expect(
      await verifyDmarc(memoryResolver({}), {
        fromDomain: 'example.test',
        dkimPassDomains: ['example.test'],
        spfPassDomains: [],
      }),
    ).toEqual({
      result: 'none',
    });
  });

  it("a failed lookup on the From domain's organizational walk is a temperror", async () => {
    // Discovery stops at the From domain's own record; the organizational walk goes on up and fails.
    const zone: MemoryZone = { ...ORG, '_dmarc.test': { TXT: 'TIMEOUT' } };
    expect(
      await verifyDmarc(memoryResolver(zone), {
        fromDomain: 'example.test',
        dkimPassDomains: ['example.test'],
        spfPassDomains: [],
      }),
    ).toEqual({ result: 'temperror', failedQuery: { question: '_dmarc.test/TXT', rcode: 'TIMEOUT' } });
  });

  it("a failed lookup on a DKIM domain's organizational walk is a temperror", async () => {
    const zone: MemoryZone = { ...ORG, '_dmarc.other.example': { TXT: 'SERVFAIL' } };
    expect(
      await verifyDmarc(memoryResolver(zone), {
        fromDomain: 'mail.example.test',
        dkimPassDomains: ['other.example'],
        spfPassDomains: [],
      }),
    ).toEqual({ result: 'temperror', failedQuery: { question: '_dmarc.other.example/TXT', rcode: 'SERVFAIL' } });
  });

  it("a failed lookup on an SPF domain's organizational walk is a temperror", async () => {
    const zone: MemoryZone = { ...ORG, '_dmarc.other.example': { TXT: 'SERVFAIL' } };
    expect(
      await verifyDmarc(memoryResolver(zone), {
        fromDomain: 'mail.example.test',
        dkimPassDomains: [],
        spfPassDomains: ['other.example'],
      }),
    ).toEqual({ result: 'temperror', failedQuery: { question: '_dmarc.other.example/TXT', rcode: 'SERVFAIL' } });
  });

  it('a failed address lookup for np is a temperror', async () => {
    const zone: MemoryZone = { ...ORG, 'mail.example.test': { A: 'SERVFAIL' } };
    expect(
      await verifyDmarc(memoryResolver(zone), {
        fromDomain: 'mail.example.test',
        dkimPassDomains: ['example.test'],
        spfPassDomains: [],
      }),
    ).toEqual({ result: 'temperror', failedQuery: { question: 'mail.example.test/A', rcode: 'SERVFAIL' } });
  });

  it('relaxed alignment by organizational domain passes, with the policy that applies', async () => {
    expect(
      await verifyDmarc(memoryResolver(ORG), {
        fromDomain: 'mail.example.test',
        dkimPassDomains: ['other.example'],
        spfPassDomains: ['bounce.example.test'],
      }),
    ).toEqual({ result: 'pass', policy: 'reject', policyDomain: 'example.test', dkimAligned: false, spfAligned: true });
  });
});
