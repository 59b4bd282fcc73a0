import { describe, expect, it } from 'vitest';
import { keptIdentifiers, redactSnapshot, Redactor } from '../../src/evidence/redact-snapshot.js';
import { SNAPSHOT_FORMAT_VERSION, type Manifest } from '../../src/snapshot/manifest.js';
import { arrayPageStream, memorySnapshot } from '../../src/snapshot/snapshot.js';
import type { MailboxMessageRules, SignIn } from '../../src/snapshot/graph-types.js';

const redactor = (keep: string[] = []) => new Redactor({ key: 'test-key', keep: keptIdentifiers(keep) });

const manifest: Manifest = {
  formatVersion: SNAPSHOT_FORMAT_VERSION,
  tenantId: 't',
  capturedAt: '2026-11-27T06:00:00.000Z',
  tool: { name: 'mailwarden', version: '0' },
  licences: { 'entra-id-p1': true, 'entra-id-p2': true },
  sources: {
    'graph.users': { status: 'ok' },
    'graph.signIns': { status: 'ok' },
    'graph.messageRules': { status: 'ok' },
    dns: { status: 'ok' },
  },
};

describe('Redactor', () => {
  it('keeps the domain of an address and maps the same address (any case) to the same pseudonym', () => {
    const r = redactor();
    const a = r.string('Adele@Contoso.com');
    expect(a).toMatch(/^u-[0-9a-f]{12}@contoso\.com$/);
    expect(r.string('adele@contoso.com')).toBe(a);
    expect(r.string('alex@contoso.com')).not.toBe(a);
    expect(r.string('SMTP:adele@contoso.com')).toBe(`SMTP:${a}`);
  });

  it('gives different pseudonyms under a different key', () => {
    const other = new Redactor({ key: 'other', keep: new Set() });
    expect(other.string('adele@contoso.com')).not.toBe(redactor().string('adele@contoso.com'));
  });

  it('keeps an IPv4 /24 and maps host parts one to one', () => {
    const r = redactor();
    const mapped = new Set<string>();
    for (let i = 0; i < 256; i++) {
      const out = r.ip(`203.0.113.${i}`);
      expect(out.startsWith('203.0.113.')).toBe(true);
      mapped.add(out);
    }
    expect(mapped.size).toBe(256);
    expect(r.ip('203.0.113.7')).toBe(r.ip('203.0.113.7'));
  });

  it('keeps an IPv6 /48 and hides the rest', () => {
    const out = redactor().ip('2001:db8:1234::abcd');
    expect(out.startsWith('2001:db8:1234:')).toBe(true);
    expect(out).not.toContain('abcd');
  });

  it('leaves identifiers the policy names in exceptions in clear', () => {
    const r = redactor(['breakglass@contoso.com', 'forwarding.inbox-rules:x', '198.51.100.9']);
    expect(r.string('breakglass@contoso.com')).toBe('breakglass@contoso.com');
    expect(r.ip('198.51.100.9')).toBe('198.51.100.9');
  });

  it('redacts names of people and recipients but not of rules or policies', () => {
    const r = redactor();
    const user = r.value({ userPrincipalName: 'a@contoso.com', displayName: 'Adele Vance' }) as Record<string, string>;
    expect(user.displayName).toMatch(/^person-[0-9a-f]{10}$/);
    const rule = r.value({
      displayName: '.',
      actions: { forwardTo: [{ emailAddress: { name: 'Evil Person', address: 'x@evil.example' } }] },
    }) as { displayName: string; actions: { forwardTo: { emailAddress: { name: string; address: string } }[] } };
    expect(rule.displayName).toBe('.');
    const recipient = rule.actions.forwardTo[0]?.emailAddress;
    expect(recipient?.name).toMatch(/^person-/);
    expect(recipient?.address).toMatch(/^u-[0-9a-f]{12}@evil\.example$/);
    const mailbox = r.value({
      UserPrincipalName: 'a@contoso.com',
      Name: 'adele',
      Alias: 'adele',
      DisplayName: 'Adele Vance',
    }) as Record<string, string>;
    expect(mailbox.Name).toBe(mailbox.Alias);
    expect(mailbox.Name).toMatch(/^person-/);
    const policy = r.value({ Name: 'Default', AutoForwardEnabled: true }) as Record<string, unknown>;
    expect(policy).toEqual({ Name: 'Default', AutoForwardEnabled: true });
  });
});

describe('Redactor on Exchange cmdlet output', () => {
  it('keeps joins: a ForwardingAddress still names the same recipient, a rule still names its owner', () => {
    const r = redactor();
    const mailbox = r.value({
      UserPrincipalName: 'lee@contoso.com',
      Identity: 'Lee Gu',
      Alias: 'lee',
      ForwardingAddress: 'External Accountant',
    }) as Record<string, string>;
    const recipient = r.value({
      PrimarySmtpAddress: 'books@accountant.example',
      Identity: 'External Accountant',
      Name: 'External Accountant',
    }) as Record<string, string>;
    expect(mailbox.ForwardingAddress).toBe(recipient.Identity);
    expect(mailbox.ForwardingAddress).toMatch(/^person-/);
    const rule = r.value({
      Identity: 'lee\\17094309485729808385',
      Name: '\u200b',
      MailboxOwnerId: 'Lee Gu',
      RedirectTo: ['"Lee" [SMTP:lee.home@gmail.example]'],
    }) as { Identity: string; Name: string; MailboxOwnerId: string; RedirectTo: string[] };
    expect(rule.Name).toBe('\u200b');
    expect(rule.MailboxOwnerId).toBe(mailbox.Identity);
    expect(rule.Identity).toBe(`${mailbox.Alias}\\17094309485729808385`);
    expect(rule.RedirectTo[0]).toMatch(/^"person-[0-9a-f]{10}" \[SMTP:u-[0-9a-f]{12}@gmail\.example\]$/);
  });
});

describe('redactSnapshot', () => {
  it('redacts collections and streams, and never touches public DNS data', async () => {
    const signIns: SignIn[] = [
      {
        id: '1',
        createdDateTime: '2026-11-27T01:00:00Z',
        userPrincipalName: 'adele@contoso.com',
        userDisplayName: 'Adele Vance',
        ipAddress: '203.0.113.50',
        location: { countryOrRegion: 'NL', city: 'Amsterdam' },
      },
    ];
    const rules: MailboxMessageRules[] = [
      { userId: 'u1', userPrincipalName: 'adele@contoso.com', status: 200, body: { value: [] } },
    ];
    const dns = {
      answers: {
        '_dmarc.contoso.com/TXT': {
          rcode: 'NOERROR',
          records: [
            {
              name: '_dmarc.contoso.com',
              type: 'TXT',
              ttl: 60,
              data: ['v=DMARC1; p=reject; rua=mailto:dmarc@contoso.com'],
            },
          ],
        },
      },
    };
    const snapshot = memorySnapshot(manifest, {
      'graph.users': [{ id: 'u1', userPrincipalName: 'adele@contoso.com', displayName: 'Adele Vance' }],
      'graph.signIns': arrayPageStream(signIns),
      'graph.messageRules': arrayPageStream(rules),
      dns,
    });
    const redacted = redactSnapshot(snapshot, redactor());
    expect(JSON.stringify(redacted.data('graph.users'))).not.toMatch(/adele|Adele/);
    const pages: unknown[] = [];
    for await (const page of redacted.data('graph.signIns').pages()) pages.push(...page);
    const signIn = pages[0] as SignIn;
    expect(signIn.userPrincipalName).toMatch(/^u-[0-9a-f]{12}@contoso\.com$/);
    expect(signIn.userDisplayName).toMatch(/^person-/);
    expect(signIn.ipAddress?.startsWith('203.0.113.')).toBe(true);
    expect(signIn.location).toEqual({ countryOrRegion: 'NL', city: 'Amsterdam' });
    expect(redacted.data('dns')).toBe(dns);
    for await (const page of redacted.data('graph.messageRules').pages())
      expect(page[0]?.userPrincipalName).not.toContain('adele');
  });
});
