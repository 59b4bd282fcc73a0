import { readdirSync, readFileSync } from 'node:fs';
import { PARAMETER_FORMATS } from '../../src/controls/parameter-formats.js';
import { createAjv } from '../../src/model/json-schema.js';
import { describe, expect, it } from 'vitest';
import { CONTROLS, findControl } from '../../src/controls/catalog.js';
import { FRAMEWORK_ID_PATTERNS, FRAMEWORKS } from '../../src/controls/framework-ids.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const FILES = readdirSync('policies')
  .filter((f) => f.endsWith('.json') && f !== 'policy.schema.json')
  .sort();

interface ControlEntry {
  readonly enabled: boolean;
  readonly description?: string;
  readonly mappings?: Partial<Record<string, string[]>>;
  readonly [parameter: string]: unknown;
}
interface PolicyDocument {
  readonly id: string;
  readonly controls: Record<string, ControlEntry>;
  readonly domains?: { readonly description?: string };
  readonly settings?: { readonly description?: string };
}

function load(file: string): PolicyDocument {
  return JSON.parse(readFileSync(`policies/${file}`, 'utf8')) as PolicyDocument;
}

// The committed schema names the parameters' own formats (CIDR blocks, country codes): validate
// with them, as mailwarden does.
const ajv = createAjv({ allErrors: true, formats: PARAMETER_FORMATS });
const validateSchema = ajv.compile(JSON.parse(readFileSync('policies/policy.schema.json', 'utf8')) as object);

/** The HIPAA Security Rule sections the HIPAA policy answers to (45 CFR Part 164, Subpart C). */
const HIPAA_SECTIONS = [
  '164.308(a)(1)(ii)(D)',
  '164.308(a)(5)(ii)(C)',
  '164.312(a)(1)',
  '164.312(b)',
  '164.312(d)',
  '164.312(e)(1)',
];

describe('policy files in policies/', () => {
  it('ships the four policies', () => {
    expect(FILES).toEqual(expect.arrayContaining(['baseline.json', 'hipaa.json', 'scuba.json', 'cis-m365.json']));
  });

  describe.each(FILES)('%s', (file) => {
    const text = readFileSync(`policies/${file}`, 'utf8');
    const doc = load(file);

    it('is valid against the committed policies/policy.schema.json', () => {
      expect(validateSchema(doc), JSON.stringify(validateSchema.errors)).toBe(true);
    });

    it('passes policy validation with no warning and names only controls of the catalog', () => {
      const { policy, warnings } = parsePolicy(text, file, NOW);
      expect(warnings).toEqual([]);
      expect(policy.id).toBe(file.replace(/\.json$/, ''));
      for (const id of Object.keys(doc.controls)) expect(findControl(id), id).toBeDefined();
    });

    it("cites every mapping by the framework's own identifier format", () => {
      for (const [id, entry] of Object.entries(doc.controls)) {
        for (const [framework, ids] of Object.entries(entry.mappings ?? {})) {
          expect(FRAMEWORKS, `${id}: framework ${framework}`).toContain(framework);
          const pattern = new RegExp(FRAMEWORK_ID_PATTERNS[framework as keyof typeof FRAMEWORK_ID_PATTERNS]);
          for (const ref of ids ?? []) expect(ref, `${id}: ${framework} ${ref}`).toMatch(pattern);
        }
      }
    });

    it('decides on every control of the catalog (enabled or not, with a reason)', () => {
      const missing = CONTROLS.map((c) => c.id).filter((id) => !(id in doc.controls));
      expect(missing, `add these controls to policies/${file}, enabled or disabled with a description`).toEqual([]);
    });

    it('says why for every setting', () => {
      for (const [id, entry] of Object.entries(doc.controls)) {
        expect(entry.description?.length ?? 0, `${id} needs a description saying why`).toBeGreaterThan(40);
      }
      expect(doc.domains?.description?.length ?? 0).toBeGreaterThan(20);
      expect(doc.settings?.description?.length ?? 0).toBeGreaterThan(20);
    });
  });
});

describe('hipaa.json', () => {
  const doc = load('hipaa.json');
  const entries = Object.entries(doc.controls);

  it('maps every enabled control to at least one of the Security Rule sections it claims, and to no other', () => {
    for (const [id, entry] of entries) {
      if (!entry.enabled) continue;
      expect(entry.mappings?.hipaa?.length ?? 0, `${id} maps to no HIPAA section`).toBeGreaterThan(0);
      for (const section of entry.mappings?.hipaa ?? []) expect(HIPAA_SECTIONS, `${id}: ${section}`).toContain(section);
    }
  });

  it('is stricter than the baseline where the catalog has the control', () => {
    const baseline = load('baseline.json');
    for (const [id, entry] of entries) {
      const base = baseline.controls[id];
      if (base?.enabled) expect(entry.enabled, `${id} is on in the baseline`).toBe(true);
    }
    // No legacy protocols, phishing-resistant MFA for admins, sign-in monitoring on.
    const required = [
      'mfa.admins-phishing-resistant',
      'legacy-auth.blocked',
      'legacy-auth.sign-ins',
      'legacy-auth.smtp-auth',
      'dmarc.policy',
    ];
    const signIns = [
      'sign-ins.risk-policies',
      'sign-ins.risky-users',
      'sign-ins.countries',
      'sign-ins.impossible-travel',
      'sign-ins.password-spray',
      'sign-ins.mfa-fatigue',
    ];
    for (const id of [...required, ...signIns]) {
      if (findControl(id)) expect(doc.controls[id]?.enabled, `${id} must be enabled in hipaa.json`).toBe(true);
    }
    const dmarc = doc.controls['dmarc.policy'];
    if (dmarc) expect(Object.values(dmarc)).toContain('reject');
  });
});

describe('scuba.json and cis-m365.json', () => {
  it('scuba.json cites SCuBA policy IDs of the baselines it names, with their version suffix', () => {
    const cited = Object.values(load('scuba.json').controls).flatMap((e) => e.mappings?.scuba ?? []);
    for (const id of cited) expect(id).toMatch(/^MS\.(AAD|EXO|SECURITYSUITE)\.\d+\.\d+v\d+$/);
  });

  it('scuba.json requires the CISA aggregate-report address, and the non-federal option (none) is valid', () => {
    const doc = load('scuba.json');
    if (!findControl('dmarc.reporting')) return;
    expect(doc.controls['dmarc.reporting']?.requiredAddresses).toEqual(['mailto:reports@dmarc.cyber.dhs.gov']);
    const nonFederal = structuredClone(doc) as { controls: Record<string, Record<string, unknown>> };
    const entry = nonFederal.controls['dmarc.reporting'];
    if (entry) entry.requiredAddresses = [];
    const { policy } = parsePolicy(JSON.stringify(nonFederal), 'scuba.json', NOW);
    expect(policy.controls.get('dmarc.reporting')?.params.strings('requiredAddresses')).toEqual([]);
  });

  it('cis-m365.json maps every enabled control to a CIS recommendation', () => {
    for (const [id, entry] of Object.entries(load('cis-m365.json').controls)) {
      if (entry.enabled) expect(entry.mappings?.cis?.length ?? 0, `${id}`).toBeGreaterThan(0);
    }
  });
});
