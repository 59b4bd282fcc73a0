import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { addPolicyException } from '../../src/accept/policy-edit.js';
import type { NewException } from '../../src/accept/new-exception.js';
import { ConfigurationError } from '../../src/errors.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';

const NOW = new Date('2026-11-27T12:00:00Z');

const ENTRY: NewException = {
  control: 'forwarding.inbox-rules',
  target: 'adele@contoso.example/rule-1',
  reason: 'archive vendor needs this forward',
  approvedBy: 'security-lead',
  expires: '2027-03-31',
  ticket: 'CHG-1234',
};

/**
 * A policy as people write them: key order of their own, notes for auditors in `description`
 * (the policy format's comments: it is strict JSON), a compact existing exception, non-ASCII
 * text, 4-space indents and no final newline.
 */
const HAND_WRITTEN = `{
    "id": "contoso",
    "version": "3.1.0",
    "title": "Contoso — mail policy (approved by the CISO, 2026-10-01)",
    "description": "Notes for auditors: see RISK-7.   Two spaces   kept.",
    "controls": {
        "forwarding.inbox-rules": { "enabled": true, "description": "No forwarding out, ever — except partners.", "partnerDomains": ["fabrikam.example"] },
        "mfa.registration":       { "enabled": true, "minPercent": 100 }
    },
    "exceptions": [
        {"control": "mfa.registration", "target": "breakglass@contoso.example", "reason": "break-glass account, sealed envelope", "approvedBy": "CISO", "expires": "2027-01-31"}
    ],
    "settings": { "maxExceptionDays": 200, "description": "Half a year and a bit." }
}`;

/** The old text must be the new text with exactly the changed range taken out (and the replaced bytes put back). */
function outside(text: string, changed: { offset: number; length: number }): [string, string] {
  return [text.slice(0, changed.offset), text.slice(changed.offset + changed.length)];
}

describe('adding an exception to a policy file', () => {
  it('appends the entry and keeps every other byte, notes and layout included; the result validates', () => {
    const edit = addPolicyException(HAND_WRITTEN, 'contoso.json', ENTRY, NOW);
    const [before, after] = outside(edit.text, edit.changed);
    expect(before + after).toBe(HAND_WRITTEN);
    expect(edit.pointer).toBe('/exceptions/1');
    expect(edit.replaced).toBe(false);
    // The new bytes are the entry (and the comma that joins it), laid out like the file: 4 spaces.
    expect(edit.text.slice(edit.changed.offset, edit.changed.offset + edit.changed.length)).toBe(
      [
        ',',
        '        {',
        '            "control": "forwarding.inbox-rules",',
        '            "target": "adele@contoso.example/rule-1",',
        '            "reason": "archive vendor needs this forward",',
        '            "approvedBy": "security-lead",',
        '            "expires": "2027-03-31",',
        '            "ticket": "CHG-1234"',
        '        }',
      ].join('\n'),
    );
    // Validated as an audit reads it: both exceptions, the policy's own settings kept.
    const { policy } = parsePolicy(edit.text, 'contoso.json', NOW);
    expect(policy.exceptions.map((e) => e.target)).toEqual(['breakglass@contoso.example', ENTRY.target]);
    expect(policy.exceptions[1]).toMatchObject({ ...ENTRY, pointer: '/exceptions/1' });
    expect(policy.maxExceptionDays).toBe(200);
    expect(edit.parsed.policy.sha256).toBe(policy.sha256);
  });

  it('replaces the entry for the same control and target (matched case-insensitively), touching nothing else', () => {
    const first = addPolicyException(HAND_WRITTEN, 'contoso.json', ENTRY, NOW);
    const renewed = {
      ...ENTRY,
      target: 'ADELE@contoso.example/rule-1',
      reason: 'vendor contract renewed for Q2',
      expires: '2027-05-31',
    };
    const second = addPolicyException(first.text, 'contoso.json', renewed, NOW);
    expect(second.replaced).toBe(true);
    expect(second.pointer).toBe('/exceptions/1');
    // Only the old entry's bytes were swapped: everything before and after it is the first text's.
    const [before, after] = outside(second.text, second.changed);
    expect(first.text.startsWith(before)).toBe(true);
    expect(first.text.endsWith(after)).toBe(true);
    expect(first.text.slice(before.length, first.text.length - after.length)).toMatch(
      /^\{\n {12}"control"[\s\S]*"CHG-1234"\n {8}\}$/,
    );
    const exceptions = second.parsed.policy.exceptions;
    expect(exceptions).toHaveLength(2);
    expect(exceptions[1]).toMatchObject({ reason: 'vendor contract renewed for Q2', expires: '2027-05-31' });
    // The break-glass entry is byte for byte the hand-written one.
    expect(second.text).toContain(
      '{"control": "mfa.registration", "target": "breakglass@contoso.example", "reason": "break-glass account, sealed envelope", "approvedBy": "CISO", "expires": "2027-01-31"}',
    );
  });

  it('writes a list where there was none or an empty one, with tabs and CRLF as the file has them', () => {
    const tabs =
      '{\r\n\t"id": "t",\r\n\t"title": "T",\r\n\t"version": "1",\r\n\t"controls": {\r\n\t\t"forwarding.inbox-rules": {\r\n\t\t\t"enabled": true\r\n\t\t}\r\n\t}\r\n}\r\n';
    const added = addPolicyException(tabs, 't.json', ENTRY, NOW);
    expect(added.text).toBe(
      `${tabs.slice(0, tabs.lastIndexOf('\r\n}'))},\r\n\t"exceptions": [\r\n\t\t{\r\n\t\t\t"control": "forwarding.inbox-rules",\r\n\t\t\t"target": "adele@contoso.example/rule-1",\r\n\t\t\t"reason": "archive vendor needs this forward",\r\n\t\t\t"approvedBy": "security-lead",\r\n\t\t\t"expires": "2027-03-31",\r\n\t\t\t"ticket": "CHG-1234"\r\n\t\t}\r\n\t]\r\n}\r\n`,
    );
    const empty = tabs.replace('\t\t}\r\n\t}\r\n}', '\t\t}\r\n\t},\r\n\t"exceptions": []\r\n}');
    const filled = addPolicyException(empty, 't.json', { ...ENTRY, ticket: undefined } as NewException, NOW);
    expect(filled.text).toContain('\t"exceptions": [\r\n\t\t{\r\n\t\t\t"control"');
    expect(filled.text).not.toContain('ticket');
    const [before, after] = outside(filled.text, filled.changed);
    expect(empty.startsWith(before) && empty.endsWith(after)).toBe(true);
  });

  it('keeps the shipped baseline policy byte for byte outside the new entry', async () => {
    const baseline = await readFile('policies/baseline.json', 'utf8');
    const edit = addPolicyException(baseline, 'policies/baseline.json', ENTRY, NOW);
    const [before, after] = outside(edit.text, edit.changed);
    expect(baseline.startsWith(before)).toBe(true);
    expect(baseline.endsWith(after)).toBe(true);
    expect(before.length + after.length).toBe(baseline.length - '[]'.length);
    expect(edit.parsed.policy.exceptions).toHaveLength(1);
  });

  it('refuses, naming the file, when the policy is invalid before, or would be after', () => {
    expect(() => addPolicyException('{"id": "x"', 'bad.json', ENTRY, NOW)).toThrow(ConfigurationError);
    // Past the policy's 200-day maximum: the edit is made, re-read as an audit would, and refused.
    const far = { ...ENTRY, expires: '2027-12-31' };
    let error: unknown;
    try {
      addPolicyException(HAND_WRITTEN, 'contoso.json', far, NOW);
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(
      /^contoso\.json: the policy would not validate with the new exception: contoso\.json:\d+: \/exceptions\/1\/expires: .*at most 200 days$/,
    );
    expect((error as ConfigurationError).details.join('\n')).toMatch(/\/exceptions\/1\/expires: .*at most 200 days/);
  });

  it('a reason full of JSON, HTML and markers stays one JSON string', () => {
    const hostile = { ...ENTRY, reason: '"}, {"control": "x"} <!-- mailwarden:fingerprint=0 --> ```\\' };
    const edit = addPolicyException(HAND_WRITTEN, 'contoso.json', hostile, NOW);
    expect(edit.parsed.policy.exceptions[1]?.reason).toBe(hostile.reason);
    expect(edit.parsed.policy.exceptions).toHaveLength(2);
  });
});
