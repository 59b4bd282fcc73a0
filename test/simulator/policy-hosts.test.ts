import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsClient } from '../../src/collect/dns/dns-client.js';
import { createHttpsGetter } from '../../src/collect/dns/https-getter.js';
import type { JsonObject } from '../../src/model/json.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { simulate } from './simulated-tenant.js';

const ENFORCE = 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 604800\r\n';
const policyUrl = (domain: string): string => `https://mta-sts.${domain}/.well-known/mta-sts.txt`;

let sim: RunningSimulator;
let stop: () => Promise<void>;
let dns: DnsClient;

beforeAll(async () => {
  ({ sim, stop } = await simulate({
    change: (data) => {
      data.dns = {
        answers: {
          ...(data.dns.answers as JsonObject),
          // A host the folder points at loopback itself, but for which the certificate is not made.
          'mta-sts.rogue.example/A': {
            rcode: 'NOERROR',
            records: [{ name: 'mta-sts.rogue.example', type: 'A', ttl: 300, data: '127.0.0.1' }],
          },
        },
        https: {
          [policyUrl('alpha.example')]: { status: 200, contentType: 'text/plain; charset=utf-8', body: ENFORCE },
          [policyUrl('moved.example')]: {
            status: 301,
            contentType: 'text/html',
            body: '<a href="https://elsewhere.example/">moved</a>',
          },
          [policyUrl('down.example')]: { status: 0, error: 'connect ECONNREFUSED' },
          [policyUrl('huge.example')]: { status: 200, contentType: 'text/plain', error: 'body exceeds 65536 bytes' },
        },
      };
    },
  }));
  dns = new DnsClient({ servers: [{ kind: 'dns', host: sim.dns.host, port: sim.dns.port }] });
});
afterAll(async () => stop());

const getter = (trust: 'simulator' | 'system roots' = 'simulator') =>
  createHttpsGetter({
    resolver: dns,
    port: sim.policyHttps.port,
    timeoutMs: 5000,
    ...(trust === 'simulator' ? { ca: sim.caCertificatePem } : {}),
  });

describe('simulated MTA-STS policy hosts (RFC 8461 §3.3) over TLS on loopback', () => {
  it('resolves mta-sts.<domain> through the simulated DNS and serves the recorded policy over TLS', async () => {
    expect(sim.policyHttps.hosts).toEqual(['mta-sts.alpha.example', 'mta-sts.huge.example', 'mta-sts.moved.example']);
    const a = await dns.resolve('mta-sts.alpha.example', 'A');
    expect(a.records.map((r) => r.data)).toEqual(['127.0.0.1']);
    const before = sim.stats().policyHostRequests;
    const fetched = await getter()(policyUrl('alpha.example'));
    expect(fetched).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: ENFORCE });
    expect(sim.stats().policyHostRequests).toBe(before + 1);
  });

  it('answers a redirect as recorded without following it, and 404 for a path never recorded', async () => {
    const moved = await getter()(policyUrl('moved.example'));
    expect(moved.status).toBe(301);
    expect(moved.body).toContain('moved');
    expect((await getter()('https://mta-sts.alpha.example/.well-known/other.txt')).status).toBe(404);
  });

  it('replays a fetch that got no HTTP answer as one that gets none, and an oversized body as oversized', async () => {
    const down = await getter()(policyUrl('down.example'));
    expect(down.status).toBe(0);
    expect(down.error).toMatch(/cannot resolve mta-sts\.down\.example \(A NXDOMAIN/);
    const huge = await getter()(policyUrl('huge.example'));
    expect(huge.status).toBe(200);
    expect(huge.body).toBeUndefined();
    expect(huge.error).toMatch(/exceeds 65536 bytes/);
  });

  it('checks the certificate: untrusted without the simulator CA, and not valid for a host it was not made for', async () => {
    const untrusted = await getter('system roots')(policyUrl('alpha.example'));
    expect(untrusted.status).toBe(0);
    expect(untrusted.error).toMatch(/self[- ]signed|certificate/i);
    const rogue = await getter()(policyUrl('rogue.example'));
    expect(rogue.status).toBe(0);
    expect(rogue.error).toMatch(/altnames|does not match/i);
  });
});
