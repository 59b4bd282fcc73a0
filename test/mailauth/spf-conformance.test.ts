import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkHost, SPF_DEFAULT_EXPLANATION, type SpfResult } from '../../src/mailauth/spf-check.js';
import { memoryResolver, type MemoryZone, type ZoneRecord } from '../helpers/memory-resolver.js';

const SUITE = new URL('../fixtures/conformance/spf/rfc7208-tests.yml', import.meta.url);

interface SuiteTest {
  host: string;
  mailfrom: string;
  helo: string;
  result: SpfResult | SpfResult[];
  explanation?: string;
}
interface Scenario {
  description: string;
  tests: Record<string, SuiteTest>;
  zonedata?: Record<string, (Record<string, unknown> | string)[]>;
}

/** Builds a zone with the suite's conventions (README "Format"). */
function zoneOf(zonedata: Scenario['zonedata']): MemoryZone {
  const zone: MemoryZone = {};
  for (const [name, entries] of Object.entries(zonedata ?? {})) {
    const types: MemoryZone[string] = {};
    zone[name] = types;
    const spf: ZoneRecord[] = [];
    for (const entry of entries) {
      if (entry === 'TIMEOUT') {
        types['*'] = 'TIMEOUT';
        continue;
      }
      if (typeof entry !== 'object') continue;
      for (const [type, value] of Object.entries(entry)) {
        if (value === 'TIMEOUT') {
          types[type] = 'TIMEOUT';
          continue;
        }
        if (value === 'NONE') {
          // Convention 2: no such record, but the type counts as present for convention 1.
          if (type === 'TXT' && types.TXT === undefined) types.TXT = [];
          continue;
        }
        let data: ZoneRecord;
        if (type === 'TXT' || type === 'SPF') data = Array.isArray(value) ? value.map(String) : [String(value)];
        else if (type === 'MX') {
          const [preference, exchange] = value as [number, string];
          data = { preference, exchange };
        } else data = String(value);
        if (type === 'SPF') spf.push(data);
        else {
          const existing = types[type];
          types[type] = [...(Array.isArray(existing) ? existing : []), data];
        }
      }
    }
    // Convention 1: SPF records are served as TXT when the name has no TXT of its own.
    if (spf.length > 0 && types.TXT === undefined) types.TXT = spf;
    // Convention 3: a name starting with "error." gives a DNS error.
    if (name.startsWith('error.')) types['*'] = 'SERVFAIL';
  }
  return zone;
}

/**
 * Explanations are compared ignoring ASCII case: v-macro-ip6 expects upper-case nibbles from
 * %{ir}, while RFC 7208 §7.3's own example expands %{ir} for IPv6 in lower case (DNS names
 * are case-insensitive). We follow the RFC's example; every other explanation matches exactly.
 */
function sameText(actual: string | undefined, expected: string): boolean {
  return actual !== undefined && (actual === expected || actual.toLowerCase() === expected.toLowerCase());
}

const scenarios = parseAllDocuments(readFileSync(SUITE, 'utf8')).map((d) => d.toJS() as Scenario);
let passed = 0;
let total = 0;
const failures: string[] = [];

describe('RFC 7208 conformance (OpenSPF rfc7208-tests.yml)', () => {
  for (const scenario of scenarios) {
    const resolver = memoryResolver(zoneOf(scenario.zonedata));
    describe(scenario.description, () => {
      for (const [name, test] of Object.entries(scenario.tests)) {
        it(name, async () => {
          total++;
          const domain = test.mailfrom.includes('@')
            ? test.mailfrom.slice(test.mailfrom.lastIndexOf('@') + 1)
            : test.mailfrom || test.helo;
          const outcome = await checkHost(resolver, {
            ip: test.host,
            domain,
            sender: test.mailfrom,
            helo: test.helo,
            receiver: 'unknown',
          });
          const accepted = Array.isArray(test.result) ? test.result : [test.result];
          const expectedExplanation = test.explanation === 'DEFAULT' ? SPF_DEFAULT_EXPLANATION : test.explanation;
          const ok =
            accepted.includes(outcome.result) &&
            (expectedExplanation === undefined ||
              outcome.result !== 'fail' ||
              sameText(outcome.explanation, expectedExplanation));
          if (ok) passed++;
          else
            failures.push(
              `${name}: expected ${accepted.join('|')} ${test.explanation ?? ''}, got ${outcome.result} ${outcome.explanation ?? ''} (${outcome.reason})`,
            );
          expect(accepted).toContain(outcome.result);
          if (expectedExplanation !== undefined && outcome.result === 'fail') {
            expect(sameText(outcome.explanation, expectedExplanation), `explanation ${outcome.explanation ?? ''}`).toBe(
              true,
            );
          }
        });
      }
    });
  }
  afterAll(() => {
    console.log(`RFC 7208 suite: ${passed}/${total} passed`);
    for (const f of failures) console.log(`  ${f}`);
  });
});
