import { describe, expect, it } from 'vitest';
import { redactor } from '../../src/report/redact.js';

describe('the redactor', () => {
  it('pseudonymises the display name inside an Exchange recipient string, not only the address', () => {
    const r = redactor('k');
    const out = r.text('"Lee" [SMTP:lee.home@gmail.example]');
    expect(out).not.toMatch(/Lee|lee\.home/);
    expect(out).toMatch(/^"person-[0-9a-f]{10}" \[SMTP:user-[0-9a-f]{10}\]$/);
    expect(r.json({ actions: { RedirectTo: ['"Lee Gu" [SMTP:lee@contoso.example]'] } })).toEqual({
      actions: { RedirectTo: [expect.stringMatching(/^"person-[0-9a-f]{10}" \[SMTP:user-[0-9a-f]{10}\]$/)] },
    });
  });

  it('rule names, owners, contacts and the names of people (not of policies) in evidence', () => {
    const r = redactor('k');
    const evidence = r.json({
      ruleName: "Lee's archive",
      MailboxOwnerId: 'Lee Gu',
      contact: 'Lidia Holloway (personal)',
      forwardTo: [{ emailAddress: { name: 'Adele', address: 'adele.backup@protonmail.example' } }],
      candidates: [{ id: 'b7f1', displayName: 'Require MFA for all users', state: 'enabled' }],
      unregistered: [{ upn: 'grady@contoso.example', displayName: 'Grady Archie' }],
    });
    const text = JSON.stringify(evidence);
    for (const name of ["Lee's archive", 'Lee Gu', 'Lidia', 'Adele', 'Grady', 'grady@', 'adele.backup'])
      expect(text).not.toContain(name);
    // A Conditional Access policy is no person: its name stays readable.
    expect(text).toContain('Require MFA for all users');
  });

  it('learns names from evidence and replaces them inside sentences, whole words only', () => {
    const r = redactor('k');
    r.learn({
      unregistered: [{ upn: 'grady@contoso.example', displayName: 'Grady Archie' }],
      ruleName: 'Mark as read',
    });
    expect(r.text('Grady Archie has no MFA; grady archie again')).toMatch(
      /^person-[0-9a-f]{10} has no MFA; person-[0-9a-f]{10} again$/,
    );
    expect(r.text('Grady Archiebald stays')).toBe('Grady Archiebald stays');
    // The same name gives the same pseudonym wherever it appears.
    const inEvidence = r.json({ unregistered: [{ upn: 'x@y.example', displayName: 'Grady Archie' }] }) as {
      unregistered: { displayName: string }[];
    };
    expect(r.text('Grady Archie')).toBe(inEvidence.unregistered[0]?.displayName);
  });

  it('leaves one-word names to their keys, so ordinary words are never garbled', () => {
    const r = redactor('k');
    r.learn({ forwardTo: [{ name: 'Mark', address: 'mark@contoso.example' }] });
    expect(r.text('Mark as read, then move')).toBe('Mark as read, then move');
  });

  it('addresses and IPs in any text, times left alone', () => {
    const r = redactor('k');
    const out = r.text('from 203.0.113.7 and 2001:db8::1 at 12:30:00 by a@b.example');
    expect(out).not.toMatch(/203\.0\.113\.7|2001:db8::1|a@b\.example/);
    expect(out).toContain('12:30:00');
  });
});
