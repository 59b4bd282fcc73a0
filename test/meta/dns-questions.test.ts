import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { CONTROLS } from '../../src/controls/catalog.js';
import { askDnsQuestions, controlDomains } from '../../src/mailauth/dns-questions.js';
import type { Finding } from '../../src/model/finding.js';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { DnsResolver } from '../../src/snapshot/dns-resolver.js';
import { type DnsData, questionKey } from '../../src/snapshot/dns-types.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import type { GraphDomain } from '../../src/snapshot/graph-types.js';
import { RecordingResolver } from '../../src/snapshot/recording-resolver.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';

/*
 * A DNS control's questions are declared once, in its definition (`dns`), and asked by
 * src/mailauth/dns-questions.ts for the collector and the tenant generator. Its check must read
 * back exactly what was asked: a question the check reads that the collector never asked would
 * replay as NOT_COLLECTED, an `error` on every run.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const folder = (...parts: string[]) => JSON.parse(readFileSync(path.join(DEMO_TENANT_DIR, ...parts), 'utf8'));
const demoDns = folder('dns', 'answers.json') as DnsData;
const tenantDomains = (folder('graph', 'domains.json') as { value: GraphDomain[] }).value;
const dkimConfigs = (folder('exchange', 'Get-DkimSigningConfig.json') as { value: ExchangeObject[] }).value;
const { policy } = parsePolicy(readFileSync(DEMO_POLICY_PATH, 'utf8'), DEMO_POLICY_PATH, NOW);
const audited = [...tenantDomains.map((d) => d.id), ...policy.domains.parked].sort();

/** The demo folder's answers as the simulator gives them: recorded, else NXDOMAIN. */
const demoResolver: DnsResolver = {
  resolve: (name, type) =>
    Promise.resolve(demoDns.answers[questionKey(name, type)] ?? { rcode: 'NXDOMAIN', records: [] }),
};

/** Answers that remember every question key anything looked up in them. */
function watched(data: DnsData, read: Set<string>): DnsData {
  const answers = new Proxy(data.answers, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  return { ...data, answers };
}

const DNS_CONTROLS = CONTROLS.filter((c) => c.dns !== undefined);

describe('DNS questions: declared once, asked by the collector, read back by the check', () => {
  it('every control that reads dns declares its questions, and only those', () => {
    for (const control of CONTROLS) expect(control.dns !== undefined, control.id).toBe(control.sources.includes('dns'));
    expect(DNS_CONTROLS.length).toBeGreaterThan(0);
  });

  it.each(DNS_CONTROLS.map((c) => [c.id, c] as const))(
    '%s reads only what its declared look-up asked',
    async (id, definition) => {
      const control = policy.controls.get(id);
      const check = CHECKS[id];
      if (!control || !check || check.kind !== 'snapshot') throw new Error(`${id}: no policy entry or snapshot check`);
      const inScope = { audited, policy, tenantDomains };
      expect(controlDomains(definition, inScope).length, `${id} has domains in the demo`).toBeGreaterThan(0);

      const recorder = new RecordingResolver(demoResolver);
      const https = (url: string) => {
        const fetched = demoDns.https?.[url] ?? { status: 0, error: 'not in the demo folder' };
        recorder.recordHttps(url, fetched);
        return Promise.resolve(fetched);
      };
      await askDnsQuestions(recorder, https, [{ definition, params: control.params }], inScope);
      const recorded = recorder.data();
      const asked = new Set(Object.keys(recorded.answers));
      expect(asked.size).toBeGreaterThan(0);

      const read = new Set<string>();
      const snapshot = memorySnapshot(
        {
          formatVersion: 1,
          tenantId: 'demo',
          capturedAt: NOW.toISOString(),
          tool: { name: 'mailwarden', version: 'test' },
          licences: { 'entra-id-p1': true, 'entra-id-p2': true },
          sources: {
            dns: { status: 'ok', capturedAt: NOW.toISOString() },
            'graph.domains': { status: 'ok', capturedAt: NOW.toISOString() },
            'exo.dkimSigningConfig': { status: 'ok', capturedAt: NOW.toISOString() },
          },
          domains: audited,
        },
        { dns: watched(recorded, read), 'graph.domains': tenantDomains, 'exo.dkimSigningConfig': dkimConfigs },
      );
      const findings: readonly Finding[] = await check.evaluate({
        snapshot,
        params: control.params,
        context: {
          now: NOW,
          tenantId: 'demo',
          cloud: 'global',
          clientId: null,
          policy,
          domains: audited,
          exceptions: [],
        },
      });

      const readNotAsked = [...read].filter((key) => key.includes('/') && !asked.has(key));
      // A DKIM selector's CNAME may also be found in front of its TXT answer; a missing one is not an error.
      const missingAndHarmless = readNotAsked.filter((key) => key.endsWith('/TXT') && id === 'dkim.signing');
      expect(readNotAsked.filter((key) => !missingAndHarmless.includes(key))).toEqual([]);
      expect(findings.filter((f) => f.status === 'error')).toEqual([]);
      expect(findings.length).toBeGreaterThan(0);
    },
  );
});
