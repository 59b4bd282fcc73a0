import { describe, expect, it } from 'vitest';
import type { MailboxMessageRules, MessageRule } from '../../src/snapshot/graph-types.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import { isNoMailbox } from '../../src/checks/forwarding/rule-sweep.js';
import { forwardingInput, sweep } from '../helpers/forwarding-input.js';

/*
 * The inbox-rule sweep (forwarding.inbox-rules, forwarding.concealment-rules) in the words and
 * evidence an auditor reads: per-rule findings, unreadable mailboxes, hidden rules read with
 * Get-InboxRule -IncludeHidden, and the counts of the pass.
 */

const DOMAIN = 'contoso.example';
const DOMAINS = [{ id: DOMAIN, isVerified: true }];

function rule(id: string, actions: Record<string, unknown>, extra: Record<string, unknown> = {}): MessageRule {
  return { id, displayName: `rule ${id}`, isEnabled: true, conditions: {}, actions, ...extra } as MessageRule;
}

function box(user: string, rules: MessageRule[], extra: Partial<MailboxMessageRules> = {}): MailboxMessageRules {
  return { userId: user, userPrincipalName: `${user}@${DOMAIN}`, status: 200, body: { value: rules }, ...extra };
}

const forward = (address: string) => ({ forwardTo: [{ emailAddress: { address, name: 'X' } }] });

function hidden(owner: string, fields: ExchangeObject): ExchangeObject {
  return { MailboxUserPrincipalName: owner, ...fields };
}

const NOT_COLLECTED = { read: false, reason: 'not collected' };

describe('isNoMailbox', () => {
  it.each([
    [404, undefined, true],
    [404, 'MailboxNotFound', true],
    [404, 'ErrorNonExistentMailbox', true],
    [404, 'ErrorItemNotFound', false],
    [403, 'MailboxNotFound', false],
    [200, undefined, false],
  ])('status %s with error code %s is a user without a mailbox: %s', (status, code, expected) => {
    expect(isNoMailbox({ status, body: code === undefined ? {} : { error: { code } } })).toBe(expected);
  });
});

describe('the rule sweep', () => {
  it('passes, counting rules, mailboxes, users without a mailbox and disabled rules', () => {
    const input = forwardingInput({ 'graph.domains': DOMAINS });
    const { findings, fold } = sweep('forwarding.inbox-rules', input, [
      [
        box('adele', [
          rule('r1', forward(`megan@${DOMAIN}`)),
          rule('r2', forward('x@mail.test'), { isEnabled: false }),
        ]),
      ],
      [box('room', [], { status: 404, body: {} }), box('megan', [])],
    ]);
    const counts = { mailboxes: 2, noMailbox: 1, unreadable: 0, rules: 2, disabledRules: 1 };
    expect(findings).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message: 'No enabled inbox rule breaks this control among 2 rules of 2 mailboxes.',
        evidence: { sweep: { ...counts, hiddenRules: NOT_COLLECTED } },
      },
    ]);
    expect(fold.coverage()).toStrictEqual(counts);
  });

  it('says how many hidden rules it read when Get-InboxRule was read', () => {
    const input = forwardingInput({
      'graph.domains': DOMAINS,
      'exo.inboxRule': [
        hidden(`adele@${DOMAIN}`, { Identity: 'adele\\1', Name: 'rule r1', ForwardTo: [`megan@${DOMAIN}`] }),
        hidden(`adele@${DOMAIN}`, { Identity: 'adele\\2', Name: 'secret', ForwardTo: [`megan@${DOMAIN}`] }),
        hidden(`megan@${DOMAIN}`, { Identity: 'megan\\3', Name: 'off', Enabled: false, ForwardTo: ['x@mail.test'] }),
      ],
    });
    const { findings } = sweep('forwarding.inbox-rules', input, [
      [box('adele', [rule('r1', forward('x@mail.test'), { isEnabled: false })]), box('megan', [])],
    ]);
    expect(findings).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message:
          'No enabled inbox rule breaks this control among 1 rules of 2 mailboxes, and 2 rules hidden from Outlook in 2.',
        evidence: {
          sweep: {
            mailboxes: 2,
            noMailbox: 0,
            unreadable: 0,
            rules: 1,
            disabledRules: 1,
            hiddenRules: { read: true, mailboxes: 2, rulesNotVisibleInGraph: 2 },
          },
        },
      },
    ]);
  });

  it('gives the reason hidden rules were not read', () => {
    const input = forwardingInput(
      { 'graph.domains': DOMAINS },
      {},
      { 'exo.inboxRule': { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: 'HTTP 403' } },
    );
    const { findings } = sweep('forwarding.inbox-rules', input, [[box('adele', [])]]);
    expect(findings[0]?.evidence.sweep).toMatchObject({ hiddenRules: { read: false, reason: 'not_permitted' } });
    expect(findings[0]?.message).toBe('No enabled inbox rule breaks this control among 0 rules of 1 mailboxes.');
  });

  it('concludes nothing when no mailbox was read', () => {
    const input = forwardingInput({ 'graph.domains': DOMAINS });
    const { findings } = sweep('forwarding.inbox-rules', input, [[box('room', [], { status: 404, body: {} })]]);
    expect(findings).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          "No mailbox's inbox rules were read (1 users without a mailbox), but a tenant audited for mail has mailboxes: an empty list here is a collection fault, not a clean tenant, so nothing is concluded.",
        evidence: {
          sweep: { mailboxes: 0, noMailbox: 1, unreadable: 0, rules: 0, disabledRules: 0, hiddenRules: NOT_COLLECTED },
          empty: true,
        },
      },
    ]);
  });

  it.each([
    [403, { error: { code: 'ErrorAccessDenied' } }, 'ErrorAccessDenied'],
    [404, { error: { code: 'ErrorItemNotFound' } }, 'ErrorItemNotFound'],
    [500, { value: [] }, null],
    [300, { value: [] }, null],
    [199, { value: [] }, null],
    [200, {}, null],
  ])('gives error, marked incomplete, for a mailbox answered with HTTP %s %j', (status, body, code) => {
    const input = forwardingInput({ 'graph.domains': DOMAINS });
    const { findings, fold } = sweep('forwarding.inbox-rules', input, [
      [box('scoped', [], { status, body }), box('adele', [])],
    ]);
    const counts = { mailboxes: 1, noMailbox: 0, unreadable: 1, rules: 0, disabledRules: 0 };
    expect(findings).toStrictEqual([
      {
        target: `scoped@${DOMAIN}`,
        status: 'error',
        message: `The inbox rules of this mailbox could not be read (HTTP ${status}).`,
        evidence: { mailbox: `scoped@${DOMAIN}`, status, code, sweep: { ...counts, hiddenRules: NOT_COLLECTED } },
        incomplete: true,
      },
    ]);
    expect(fold.coverage()).toStrictEqual(counts);
  });

  it('reports the unreadable mailbox itself when no mailbox could be read', () => {
    const { findings } = sweep('forwarding.inbox-rules', forwardingInput({ 'graph.domains': DOMAINS }), [
      [box('scoped', [], { status: 403, body: { error: { code: 'ErrorAccessDenied' } } })],
    ]);
    expect(findings.map((f) => [f.target, f.status, f.incomplete])).toEqual([[`scoped@${DOMAIN}`, 'error', true]]);
  });

  it('fails a visible rule in words, with the rule evidence, not as hidden', () => {
    const r = rule('x1', {
      forwardTo: [
        { emailAddress: { address: `ok@${DOMAIN}`, name: 'Ok' } },
        { emailAddress: { address: 'thief@mail.test', name: 'Thief' } },
        { emailAddress: { address: 'b@partner.test' } },
      ],
      redirectTo: { emailAddress: { address: 'also@mail.test' } },
    });
    const { findings } = sweep(
      'forwarding.inbox-rules',
      forwardingInput({ 'graph.domains': DOMAINS }, { partnerDomains: ['partner.test'] }),
      [[box('alex', [r])]],
    );
    expect(findings).toStrictEqual([
      {
        target: `alex@${DOMAIN}/x1`,
        status: 'fail',
        message: 'An enabled inbox rule sends mail to 2 recipient(s) outside the tenant.',
        evidence: {
          mailbox: `alex@${DOMAIN}`,
          ruleId: 'x1',
          ruleName: 'rule x1',
          source: 'graph',
          hidden: false,
          conditions: {},
          actions: r.actions,
          externalRecipients: [
            { action: 'forwardTo', address: 'thief@mail.test', name: 'Thief', domain: 'mail.test', class: 'external' },
            { action: 'redirectTo', address: 'also@mail.test', name: null, domain: 'mail.test', class: 'external' },
          ],
          partnerRecipients: [
            { action: 'forwardTo', address: 'b@partner.test', name: null, domain: 'partner.test', class: 'partner' },
          ],
          sweep: {
            mailboxes: 1,
            noMailbox: 0,
            unreadable: 0,
            rules: 1,
            disabledRules: 0,
            hiddenRules: NOT_COLLECTED,
          },
        },
      },
    ]);
  });

  it('gives error for a visible rule it cannot parse, naming its source', () => {
    const { findings } = sweep('forwarding.inbox-rules', forwardingInput({ 'graph.domains': DOMAINS }), [
      [box('alex', [rule('bad', { forwardToEverybody: true })])],
    ]);
    expect(findings.map((f) => [f.target, f.status, f.message])).toEqual([
      [`alex@${DOMAIN}/bad`, 'error', 'This inbox rule cannot be judged: unknown action field forwardToEverybody.'],
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      mailbox: `alex@${DOMAIN}`,
      ruleId: 'bad',
      ruleName: 'rule bad',
      source: 'graph',
      reason: 'unknown action field forwardToEverybody',
    });
  });

  it('judges hidden rules as critical, once: a visible namesake (any case of the mailbox) is not judged again', () => {
    const input = forwardingInput({
      'graph.domains': DOMAINS,
      'exo.inboxRule': [
        hidden(`Adele@Contoso.Example`, { Identity: 'adele\\1', Name: 'rule r1', ForwardTo: ['x@mail.test'] }),
        hidden(`adele@${DOMAIN}`, { Identity: 'adele\\2', Name: 'secret', RedirectTo: '"T" [SMTP:t@mail.test]' }),
        hidden(`megan@${DOMAIN}`, { Identity: 'megan\\3', Name: 'm', ForwardTo: ['y@mail.test'] }),
      ],
    });
    const { findings } = sweep('forwarding.inbox-rules', input, [
      [box('ADELE', [rule('r1', forward(`megan@${DOMAIN}`))]), box('megan', [])],
    ]);
    expect(findings.map((f) => [f.target, f.status, f.severity, f.message])).toEqual([
      [
        `adele@${DOMAIN}/2`,
        'fail',
        'critical',
        'An enabled inbox rule hidden from Outlook sends mail to 1 recipient(s) outside the tenant.',
      ],
      [
        `megan@${DOMAIN}/3`,
        'fail',
        'critical',
        'An enabled inbox rule hidden from Outlook sends mail to 1 recipient(s) outside the tenant.',
      ],
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      source: 'exchange',
      hidden: true,
      ruleName: 'secret',
      sweep: { hiddenRules: { read: true, mailboxes: 2, rulesNotVisibleInGraph: 2 } },
    });
  });

  it('gives error for a hidden rule it cannot parse, even one named like a visible rule', () => {
    const input = forwardingInput({
      'graph.domains': DOMAINS,
      'exo.inboxRule': [hidden(`adele@${DOMAIN}`, { Identity: 'adele\\7', Name: 'rule r1', Description: 'no action' })],
    });
    const { findings } = sweep('forwarding.inbox-rules', input, [[box('adele', [rule('r1', { delete: true })])]]);
    expect(findings).toStrictEqual([
      {
        target: `adele@${DOMAIN}/7`,
        status: 'error',
        message: 'This inbox rule cannot be judged: the rule has no action field.',
        evidence: {
          mailbox: `adele@${DOMAIN}`,
          ruleId: '7',
          ruleName: 'rule r1',
          source: 'exchange',
          reason: 'the rule has no action field',
          sweep: {
            mailboxes: 1,
            noMailbox: 0,
            unreadable: 0,
            rules: 1,
            disabledRules: 0,
            hiddenRules: { read: true, mailboxes: 1, rulesNotVisibleInGraph: 1 },
          },
        },
      },
    ]);
  });

  it('judges a hidden rule of a mailbox without any visible rule, and one without its mailbox', () => {
    const input = forwardingInput({
      'graph.domains': DOMAINS,
      'exo.inboxRule': [
        hidden(`alex@${DOMAIN}`, { Identity: 'alex\\5', Name: 'n', ForwardTo: 'z@mail.test' }),
        { Identity: 'x\\6', Name: 'orphan', ForwardTo: 'w@mail.test' },
      ],
    });
    const { findings } = sweep('forwarding.inbox-rules', input, [[box('alex', [])]]);
    expect(findings.map((f) => [f.target, f.evidence.mailbox])).toEqual([
      [`alex@${DOMAIN}/5`, `alex@${DOMAIN}`],
      ['/6', ''],
    ]);
  });
});

describe('forwarding.concealment-rules in words', () => {
  it('fails a visible and a hidden rule that hide mail, naming the pattern and signs', () => {
    const input = forwardingInput(
      {
        'graph.domains': DOMAINS,
        'exo.inboxRule': [
          hidden(`adele@${DOMAIN}`, { Identity: 'adele\\9', Name: 'h', MoveToFolder: 'adele:\\RSS Feeds' }),
        ],
      },
      { triggerWords: ['invoice'] },
    );
    const r = rule('c1', { delete: true }, { conditions: { subjectContains: ['Invoice 42'] } });
    const { findings } = sweep('forwarding.concealment-rules', input, [[box('adele', [r])]]);
    expect(findings.map((f) => [f.target, f.status, f.severity, f.message])).toEqual([
      [`adele@${DOMAIN}/c1`, 'fail', undefined, 'An enabled inbox rule hides mail (pattern delete).'],
      [
        `adele@${DOMAIN}/9`,
        'fail',
        'critical',
        'An enabled inbox rule hidden from Outlook hides mail (pattern move-to-hiding-folder).',
      ],
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      hidden: false,
      conditions: { subjectContains: ['Invoice 42'] },
      pattern: 'delete',
      signs: ['delete', 'trigger-word:invoice (subjectContains)'],
    });
    expect(findings[1]?.evidence).toMatchObject({
      hidden: true,
      pattern: 'move-to-hiding-folder',
      signs: ['folder:RSS Feeds'],
    });
  });

  it('gives error for a rule moving mail to a folder whose name could not be read', () => {
    const r = rule('u1', { moveToFolder: 'AAMkF1' });
    const { findings } = sweep('forwarding.concealment-rules', forwardingInput({ 'graph.domains': DOMAINS }), [
      [box('adele', [r], { unreadFolders: { AAMkF1: 403 } })],
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      target: `adele@${DOMAIN}/u1`,
      status: 'error',
      message:
        'The name of the folder this rule moves mail to could not be read (HTTP 403), so whether it hides mail cannot be judged.',
      evidence: { folderId: 'AAMkF1', folderReadStatus: 403, hidden: false },
    });
  });
});
