import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { DOMAIN, findings, goldenTenant, judge, recipient, rule } from './forwarding-tenant.js';

const only = (results: readonly Result[]): Result => {
  const bad = findings(results);
  expect(bad, JSON.stringify(bad.map((r) => [r.target, r.status]))).toHaveLength(1);
  return bad[0] as Result;
};

describe('forwarding.inbox-rules', () => {
  it('passes the golden tenant with the counts of what was covered', async () => {
    const results = await judge('forwarding.inbox-rules', goldenTenant());
    expect(results.map((r) => [r.target, r.status])).toEqual([['tenant', 'pass']]);
    expect(results[0]?.evidence.sweep).toMatchObject({ mailboxes: 3, noMailbox: 0, rules: 3 });
  });

  it('fails a forwardTo list with an external recipient, per rule, naming the recipient', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      body: { value: [rule('x1', { forwardTo: [recipient(`ok@${DOMAIN}`), recipient('thief@mail.test', 'Thief')] })] },
    };
    const r = only(await judge('forwarding.inbox-rules', t));
    expect(r).toMatchObject({ target: `alex@${DOMAIN}/x1`, status: 'fail' });
    expect(r.evidence.externalRecipients).toEqual([
      { action: 'forwardTo', address: 'thief@mail.test', name: 'Thief', domain: 'mail.test', class: 'external' },
    ]);
  });

  it('reads redirectTo given as a single recipient (older Graph docs) and as a list', async () => {
    for (const redirectTo of [recipient('x@mail.test'), [recipient('x@mail.test')]]) {
      const t = goldenTenant();
      t.messageRules[2] = { ...t.messageRules[2]!, body: { value: [rule('x2', { redirectTo })] } };
      const r = only(await judge('forwarding.inbox-rules', t));
      expect(r.evidence.externalRecipients).toMatchObject([{ action: 'redirectTo', address: 'x@mail.test' }]);
    }
  });

  it('counts a subdomain of an accepted domain as internal, and look-alikes as external', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      body: { value: [rule('x3', { forwardAsAttachmentTo: [recipient(`lab@eu.lab.${DOMAIN}`)] })] },
    };
    expect(findings(await judge('forwarding.inbox-rules', t))).toEqual([]);
    for (const lookAlike of [
      `a@${DOMAIN}.evil.test`,
      'a@contoso-example.test',
      'a@xcontoso.example',
      'a@contoso.example0',
    ]) {
      const m = goldenTenant();
      m.messageRules[2] = {
        ...m.messageRules[2]!,
        body: { value: [rule('x4', { forwardAsAttachmentTo: [recipient(lookAlike)] })] },
      };
      expect(only(await judge('forwarding.inbox-rules', m)).status, lookAlike).toBe('fail');
    }
  });

  it('does not count a disabled rule', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      body: { value: [rule('x5', { forwardTo: [recipient('x@mail.test')] }, { isEnabled: false })] },
    };
    const results = await judge('forwarding.inbox-rules', t);
    expect(findings(results)).toEqual([]);
    expect(results[0]?.evidence.sweep).toMatchObject({ disabledRules: 1 });
  });

  it('allows partner domains on the allow-list (and their subdomains), and only those', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      body: { value: [rule('x6', { forwardTo: [recipient('a@orders.partner.test'), recipient('b@other.test')] })] },
    };
    const r = only(await judge('forwarding.inbox-rules', t, { partnerDomains: ['partner.test'] }));
    expect(r.evidence.externalRecipients).toMatchObject([{ address: 'b@other.test' }]);
    expect(r.evidence.partnerRecipients).toMatchObject([{ address: 'a@orders.partner.test', class: 'partner' }]);
    const allowed = goldenTenant();
    allowed.messageRules[2] = {
      ...allowed.messageRules[2]!,
      body: { value: [rule('x7', { forwardTo: [recipient('a@partner.test')] })] },
    };
    expect(findings(await judge('forwarding.inbox-rules', allowed, { partnerDomains: ['partner.test'] }))).toEqual([]);
  });

  it('gives error for a rule with an unknown or missing action field and still judges the others', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      body: {
        value: [
          rule('bad1', { forwardToEverybody: true }),
          { id: 'bad2', displayName: 'no actions', isEnabled: true },
          rule('x8', { forwardTo: [recipient('x@mail.test')] }),
        ],
      },
    };
    const bad = findings(await judge('forwarding.inbox-rules', t));
    expect(bad.map((r) => [r.target, r.status])).toEqual([
      [`alex@${DOMAIN}/bad1`, 'error'],
      [`alex@${DOMAIN}/bad2`, 'error'],
      [`alex@${DOMAIN}/x8`, 'fail'],
    ]);
    expect(bad[0]?.evidence.reason).toMatch(/forwardToEverybody/);
  });

  it('skips and counts users without a mailbox, and gives error for a mailbox it could not read', async () => {
    const t = goldenTenant();
    t.messageRules.push({
      userId: 'u4',
      userPrincipalName: `room@${DOMAIN}`,
      status: 404,
      body: { error: { code: 'MailboxNotEnabledForRESTAPI' } },
    });
    const results = await judge('forwarding.inbox-rules', t);
    expect(findings(results)).toEqual([]);
    expect(results[0]?.evidence.sweep).toMatchObject({ noMailbox: 1, mailboxes: 3 });
    t.messageRules.push({
      userId: 'u5',
      userPrincipalName: `scoped@${DOMAIN}`,
      status: 403,
      body: { error: { code: 'ErrorAccessDenied' } },
    });
    expect(only(await judge('forwarding.inbox-rules', t))).toMatchObject({
      target: `scoped@${DOMAIN}`,
      status: 'error',
      evidence: { status: 403 },
    });
  });

  it('fails a hidden rule read with Get-InboxRule -IncludeHidden as critical, without judging visible rules twice', async () => {
    const t = goldenTenant();
    t.inboxRule = [
      {
        Identity: 'adele\\111',
        Name: 'rule r1',
        Enabled: true,
        ForwardTo: [`"Megan" [SMTP:megan@${DOMAIN}]`],
        MailboxUserPrincipalName: `adele@${DOMAIN}`,
      },
      {
        Identity: 'adele\\222',
        Name: '',
        Enabled: true,
        RedirectTo: ['"x" [SMTP:x@mail.test]'],
        DeleteMessage: false,
        MailboxUserPrincipalName: `adele@${DOMAIN}`,
      },
    ];
    const r = only(await judge('forwarding.inbox-rules', t));
    expect(r).toMatchObject({
      target: `adele@${DOMAIN}/222`,
      status: 'fail',
      severity: 'critical',
      evidence: { hidden: true, source: 'exchange' },
    });
  });

  it('keeps a hostile rule name verbatim in evidence and escapes it where shown', async () => {
    const hostile = '<img src=x onerror=alert(1)> @security-team [x](https://evil.test) | #1\n| injected |';
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      body: { value: [rule('x9', { forwardTo: [recipient('x@mail.test', hostile)] }, { displayName: hostile })] },
    };
    t.inboxRule = [
      { Name: hostile, Enabled: true, ForwardTo: ['x@mail.test'], MailboxUserPrincipalName: `megan@${DOMAIN}` },
    ];
    const results = findings(await judge('forwarding.inbox-rules', t));
    expect(results.map((r) => r.evidence.ruleName)).toEqual([hostile, hostile]);
    // Targets and messages (what the summary and console show) never carry the name; a rule
    // without an Identity is targeted by a hash of its name.
    for (const r of results) {
      expect(r.target).toMatch(/^megan@contoso\.example\/(x9|name-[0-9a-f]{16})$|^alex@/);
      expect(r.message).not.toContain('<img');
    }
  });
});

describe('forwarding.concealment-rules', () => {
  it('passes the golden tenant (a spam-deleting rule without a sign is not concealment)', async () => {
    expect(findings(await judge('forwarding.concealment-rules', goldenTenant()))).toEqual([]);
  });

  it('fails a move to RSS Feeds (folder named through the collected folder map), naming the pattern', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      folders: { 'AAMk=': 'RSS Feeds' },
      body: { value: [rule('c1', { moveToFolder: 'AAMk=', markAsRead: true })] },
    };
    const r = only(await judge('forwarding.concealment-rules', t));
    expect(r.evidence).toMatchObject({ pattern: 'move-to-hiding-folder', signs: ['folder:RSS Feeds', 'mark-as-read'] });
  });

  it('gives error for a rule moving mail to a folder whose name could not be read, and judges it once the name is read', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      unreadFolders: { 'AAMk=': 403 },
      body: { value: [rule('c9', { moveToFolder: 'AAMk=' })] },
    };
    const r = only(await judge('forwarding.concealment-rules', t));
    expect(r.status).toBe('error');
    expect(r.evidence).toMatchObject({ folderId: 'AAMk=', folderReadStatus: 403 });
    // The same rule, its folder named: judged by the name.
    t.messageRules[2] = { ...t.messageRules[2]!, unreadFolders: {}, folders: { 'AAMk=': 'RSS Feeds' } };
    expect(only(await judge('forwarding.concealment-rules', t))).toMatchObject({
      status: 'fail',
      evidence: { pattern: 'move-to-hiding-folder' },
    });
    // A rule that conceals by its other signs fails whatever its folder is called.
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      unreadFolders: { 'AAMk=': 503 },
      folders: {},
      body: { value: [rule('c10', { moveToFolder: 'AAMk=', delete: true, markAsRead: true })] },
    };
    expect(only(await judge('forwarding.concealment-rules', t)).status).toBe('fail');
  });

  it('fails a delete triggered by a trigger word, and a move to Archive that marks as read', async () => {
    const t = goldenTenant();
    t.messageRules[2] = {
      ...t.messageRules[2]!,
      body: { value: [rule('c2', { delete: true }, { conditions: { bodyOrSubjectContains: ['Wire transfer'] } })] },
    };
    expect(only(await judge('forwarding.concealment-rules', t)).evidence).toMatchObject({
      pattern: 'delete',
      signs: ['delete', 'trigger-word:wire (bodyOrSubjectContains)'],
    });
    const a = goldenTenant();
    a.messageRules[2] = {
      ...a.messageRules[2]!,
      body: { value: [rule('c3', { moveToFolder: 'archive', markAsRead: true })] },
    };
    expect(only(await judge('forwarding.concealment-rules', a)).evidence).toMatchObject({ pattern: 'move-to-folder' });
  });

  it('takes the word list and the security team from the policy', async () => {
    const t = goldenTenant();
    expect(only(await judge('forwarding.concealment-rules', t, { triggerWords: ['win'] })).evidence).toMatchObject({
      signs: ['delete', 'trigger-word:win (subjectContains)'],
    });
    const s = goldenTenant();
    s.messageRules[2] = {
      ...s.messageRules[2]!,
      body: {
        value: [rule('c4', { permanentDelete: true }, { conditions: { fromAddresses: [recipient(`soc@${DOMAIN}`)] } })],
      },
    };
    expect(findings(await judge('forwarding.concealment-rules', s))).toEqual([]);
    expect(
      only(await judge('forwarding.concealment-rules', s, { securityTeamSenders: [`soc@${DOMAIN}`] })).evidence.signs,
    ).toContain(`security-team-sender:soc@${DOMAIN} (fromAddresses)`);
  });

  it('judges hidden Exchange rules by folder name', async () => {
    const t = goldenTenant();
    t.inboxRule = [
      {
        Identity: 'megan\\9',
        Name: 'h',
        Enabled: true,
        MoveToFolder: 'megan:\\Conversation History',
        MailboxUserPrincipalName: `megan@${DOMAIN}`,
      },
    ];
    expect(only(await judge('forwarding.concealment-rules', t))).toMatchObject({
      target: `megan@${DOMAIN}/9`,
      severity: 'critical',
      evidence: { pattern: 'move-to-hiding-folder' },
    });
  });
});

describe('forwarding.mailbox', () => {
  it('passes the golden tenant', async () => {
    expect(findings(await judge('forwarding.mailbox', goldenTenant()))).toEqual([]);
  });

  it('fails an external ForwardingSmtpAddress and accepts a subdomain of an accepted domain or a partner', async () => {
    const t = goldenTenant();
    t.mailbox[0] = { ...t.mailbox[0], ForwardingSmtpAddress: 'smtp:me@home.test' };
    expect(only(await judge('forwarding.mailbox', t))).toMatchObject({
      target: `adele@${DOMAIN}`,
      status: 'fail',
      evidence: { externalAddress: 'me@home.test' },
    });
    expect(findings(await judge('forwarding.mailbox', t, { partnerDomains: ['home.test'] }))).toEqual([]);
    t.mailbox[0] = { ...t.mailbox[0], ForwardingSmtpAddress: `SMTP:x@sub.${DOMAIN}` };
    expect(findings(await judge('forwarding.mailbox', t))).toEqual([]);
  });

  it('fails a ForwardingAddress that points to an external contact, passes an internal mailbox, errors on an unknown one', async () => {
    const t = goldenTenant();
    t.mailbox[0] = { ...t.mailbox[0], ForwardingAddress: 'Accountant' };
    expect(only(await judge('forwarding.mailbox', t))).toMatchObject({
      status: 'fail',
      evidence: { property: 'ForwardingAddress', externalAddress: 'books@accountant.test' },
    });
    t.mailbox[0] = { ...t.mailbox[0], ForwardingAddress: 'Megan' };
    expect(findings(await judge('forwarding.mailbox', t))).toEqual([]);
    t.mailbox[0] = { ...t.mailbox[0], ForwardingAddress: 'Nobody We Know' };
    expect(only(await judge('forwarding.mailbox', t)).status).toBe('error');
  });
});

describe('forwarding.outbound-policy', () => {
  it('passes Automatic and Off, fails On in the default policy, errors on an unknown mode', async () => {
    expect(findings(await judge('forwarding.outbound-policy', goldenTenant()))).toEqual([]);
    const t = goldenTenant();
    t.outboundPolicy[0] = { ...t.outboundPolicy[0], AutoForwardingMode: 'On' };
    expect(only(await judge('forwarding.outbound-policy', t))).toMatchObject({
      target: 'outbound-policy/Default',
      status: 'fail',
    });
    t.outboundPolicy[0] = { ...t.outboundPolicy[0], AutoForwardingMode: 'Sometimes' };
    expect(only(await judge('forwarding.outbound-policy', t)).status).toBe('error');
  });

  it('fails a custom On policy unless its rule scopes it to allowed senders only', async () => {
    const t = goldenTenant();
    t.outboundPolicy.push({ Identity: 'Finance', Name: 'Finance', IsDefault: false, AutoForwardingMode: 'On' });
    t.outboundRule.push({
      Name: 'Finance rule',
      HostedOutboundSpamFilterPolicy: 'Finance',
      State: 'Enabled',
      From: [`cfo@${DOMAIN}`, `intern@${DOMAIN}`],
    });
    expect(
      only(await judge('forwarding.outbound-policy', t, { allowedForwardingSenders: [`cfo@${DOMAIN}`] })).evidence,
    ).toMatchObject({ notAllowed: [{ field: 'From', value: `intern@${DOMAIN}` }] });
    expect(
      findings(
        await judge('forwarding.outbound-policy', t, {
          allowedForwardingSenders: [`cfo@${DOMAIN}`, `intern@${DOMAIN}`],
        }),
      ),
    ).toEqual([]);
    t.outboundRule[0] = { ...t.outboundRule[0], From: null };
    expect(
      only(await judge('forwarding.outbound-policy', t, { allowedForwardingSenders: [`cfo@${DOMAIN}`] })).status,
    ).toBe('fail');
    t.outboundRule[0] = { ...t.outboundRule[0], State: 'Disabled' };
    expect(findings(await judge('forwarding.outbound-policy', t))).toEqual([]);
  });
});

describe('forwarding.remote-domains', () => {
  it('fails AutoForwardEnabled on *, even if * is allow-listed, and on a domain not allow-listed', async () => {
    expect(findings(await judge('forwarding.remote-domains', goldenTenant()))).toEqual([]);
    const t = goldenTenant();
    t.remoteDomain[0] = { ...t.remoteDomain[0], AutoForwardEnabled: true };
    expect(only(await judge('forwarding.remote-domains', t)).target).toBe('remote-domain/*');
    // `*` cannot be allow-listed: it is not a domain, and the policy is refused when it loads.
    await expect(judge('forwarding.remote-domains', t, { partnerDomains: ['*'] })).rejects.toThrow(
      /policy does not match/,
    );
    const p = goldenTenant();
    p.remoteDomain.push({ Name: 'Partner', DomainName: 'partner.test', AutoForwardEnabled: true });
    expect(only(await judge('forwarding.remote-domains', p)).target).toBe('remote-domain/partner.test');
    expect(findings(await judge('forwarding.remote-domains', p, { partnerDomains: ['partner.test'] }))).toEqual([]);
    p.remoteDomain[1] = { ...p.remoteDomain[1], AutoForwardEnabled: undefined };
    expect(only(await judge('forwarding.remote-domains', p)).status).toBe('error');
  });
});

describe('legacy-auth.smtp-auth', () => {
  it('passes when off org-wide, fails when on, and lists mailboxes that turn it back on', async () => {
    expect(findings(await judge('legacy-auth.smtp-auth', goldenTenant()))).toEqual([]);
    const t = goldenTenant();
    t.transportConfig[0] = { SmtpClientAuthenticationDisabled: false };
    expect(only(await judge('legacy-auth.smtp-auth', t))).toMatchObject({ target: 'tenant', status: 'fail' });
    const m = goldenTenant();
    m.casMailbox[1] = { ...m.casMailbox[1], SmtpClientAuthenticationDisabled: false };
    expect(only(await judge('legacy-auth.smtp-auth', m))).toMatchObject({ target: `megan@${DOMAIN}`, status: 'fail' });
    const e = goldenTenant();
    e.transportConfig = [];
    expect(only(await judge('legacy-auth.smtp-auth', e)).status).toBe('error');
  });
});

describe('dkim.signing', () => {
  it('passes when enabled and both selector CNAMEs match (trailing dot and case ignored)', async () => {
    const results = await judge('dkim.signing', goldenTenant());
    expect(results.map((r) => [r.target, r.status])).toEqual([
      ['contoso.example', 'pass'],
      ['contoso.onmicrosoft.com', 'pass'],
    ]);
  });

  it('fails when signing is off or not configured', async () => {
    const t = goldenTenant();
    t.dkim[0] = { ...t.dkim[0], Enabled: false };
    expect(only(await judge('dkim.signing', t))).toMatchObject({
      target: DOMAIN,
      status: 'fail',
      evidence: { enabled: false },
    });
    t.dkim = t.dkim.slice(1);
    expect(only(await judge('dkim.signing', t)).evidence).toMatchObject({ configured: false });
  });

  it('reads the selector CNAME from the chain in front of a recorded TXT answer', async () => {
    const t = goldenTenant();
    const key = `selector2._domainkey.${DOMAIN}`;
    const answers = { ...t.dns.answers } as Record<string, unknown>;
    const cname = t.dns.answers[`${key}/CNAME`];
    delete answers[`${key}/CNAME`];
    answers[`${key}/TXT`] = {
      rcode: 'NOERROR',
      records: [...(cname?.records ?? []), { name: 'target', type: 'TXT', ttl: 1, data: ['v=DKIM1; k=rsa; p=AAAA'] }],
    };
    t.dns = { answers: answers as typeof t.dns.answers };
    expect(findings(await judge('dkim.signing', t))).toEqual([]);
  });

  it('fails a missing (NXDOMAIN) or wrong CNAME, and errors when DNS failed or was not asked', async () => {
    const key = `selector2._domainkey.${DOMAIN}/CNAME`;
    const cases: [unknown, string][] = [
      [{ rcode: 'NXDOMAIN', records: [] }, 'fail'],
      [
        {
          rcode: 'NOERROR',
          records: [
            {
              name: `selector2._domainkey.${DOMAIN}`,
              type: 'CNAME',
              ttl: 1,
              data: 'selector2-evil._domainkey.other.test',
            },
          ],
        },
        'fail',
      ],
      [{ rcode: 'SERVFAIL', records: [] }, 'error'],
      [undefined, 'error'],
    ];
    for (const [answer, status] of cases) {
      const t = goldenTenant();
      const answers = { ...t.dns.answers } as Record<string, unknown>;
      if (answer === undefined) delete answers[key];
      else answers[key] = answer;
      t.dns = { answers: answers as typeof t.dns.answers };
      expect(only(await judge('dkim.signing', t)).status, JSON.stringify(answer)).toBe(status);
    }
  });

  it('says which Microsoft cloud a wrong CNAME points into, if any', async () => {
    const key = `selector2._domainkey.${DOMAIN}/CNAME`;
    const cases: [string, string][] = [
      [
        'selector2-contoso-example._domainkey.agency.onmicrosoft.us',
        'a Microsoft 365 usgov DKIM target (format not documented',
      ],
      ['selector2-contoso-example._domainkey.other.r-v1.dkim.mail.microsoft', 'a Microsoft 365 global DKIM target'],
      ['selector2-evil._domainkey.other.test', 'no Microsoft 365 DKIM target'],
    ];
    for (const [target, words] of cases) {
      const t = goldenTenant();
      const answers = { ...t.dns.answers } as Record<string, unknown>;
      answers[key] = {
        rcode: 'NOERROR',
        records: [{ name: `selector2._domainkey.${DOMAIN}`, type: 'CNAME', ttl: 1, data: target }],
      };
      t.dns = { answers: answers as typeof t.dns.answers };
      const r = only(await judge('dkim.signing', t));
      expect(r.status).toBe('fail');
      const selectors = r.evidence.selectors as { selector: string; foundLooksLike?: string }[];
      expect(selectors.find((x) => x.selector === 'selector2')?.foundLooksLike).toContain(words);
      expect(selectors.find((x) => x.selector === 'selector1')?.foundLooksLike).toBeUndefined();
    }
  });
});
