import { describe, expect, it } from 'vitest';
import { parseExchangeRule, parseGraphRule, parseGraphRuleOnce } from '../../src/checks/forwarding/message-rule.js';
import type { InboxRule, ParsedRule } from '../../src/checks/forwarding/message-rule.js';
import type { MessageRule } from '../../src/snapshot/graph-types.js';

/*
 * The inbox-rule parsers read Graph `messageRule` objects and Get-InboxRule output into one
 * shape. These tests pin what each field becomes, the words of every "cannot be judged"
 * reason, and which data is shared with the snapshot rather than copied.
 */

const MAILBOX = 'adele@contoso.example';

function graphRule(actions: Record<string, unknown>, extra: Record<string, unknown> = {}): MessageRule {
  return { id: 'r1', displayName: 'rule r1', isEnabled: true, conditions: {}, actions, ...extra } as MessageRule;
}

function ok(parsed: ParsedRule): InboxRule {
  if (!parsed.ok) throw new Error(`expected a parsed rule, got: ${parsed.reason}`);
  return parsed.rule;
}

const to = (address: string, name?: string) => ({ emailAddress: name === undefined ? { address } : { address, name } });

/** An object nested `levels` deep below a top-level rule part: { n: { n: ... { leaf: true } } }. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i++) value = { n: value };
  return value;
}

describe('parseGraphRule: what a Graph messageRule becomes', () => {
  it('reads every field of a forwarding rule, in the order the actions are listed', () => {
    const rule = graphRule(
      {
        forwardTo: [to('a@mail.test', 'A')],
        forwardAsAttachmentTo: [to('b@mail.test')],
        redirectTo: [to('"C" [SMTP:c@mail.test]', 'C')],
        markAsRead: true,
        stopProcessingRules: true,
      },
      {
        conditions: {
          subjectContains: ['invoice', 'wire'],
          bodyContains: ['payment'],
          senderContains: null,
          fromAddresses: [to('ceo@contoso.example', 'CEO'), to('cfo@contoso.example')],
          sentToAddresses: [to('me@contoso.example')],
        },
      },
    );
    expect(parseGraphRule(MAILBOX, rule)).toStrictEqual({
      ok: true,
      rule: {
        mailbox: MAILBOX,
        ruleId: 'r1',
        name: 'rule r1',
        enabled: true,
        source: 'graph',
        conditions: rule.conditions,
        actions: rule.actions,
        recipients: [
          { action: 'forwardTo', address: 'a@mail.test', name: 'A' },
          { action: 'forwardAsAttachmentTo', address: 'b@mail.test', name: null },
          { action: 'redirectTo', address: 'c@mail.test', name: 'C' },
        ],
        deletes: false,
        moveToFolder: null,
        moveToFolderUnread: null,
        markAsRead: true,
        conditionTexts: [
          { field: 'subjectContains', value: 'invoice' },
          { field: 'subjectContains', value: 'wire' },
          { field: 'bodyContains', value: 'payment' },
          { field: 'fromAddresses', value: 'ceo@contoso.example' },
          { field: 'fromAddresses', value: 'cfo@contoso.example' },
          { field: 'sentToAddresses', value: 'me@contoso.example' },
        ],
      },
    });
  });

  it('reads a null recipient list as no recipients, and a missing display name as null', () => {
    const r = ok(parseGraphRule(MAILBOX, graphRule({ forwardTo: null, redirectTo: to('x@mail.test') })));
    expect(r.recipients).toStrictEqual([{ action: 'redirectTo', address: 'x@mail.test', name: null }]);
  });

  it.each([
    [{ delete: true }, true],
    [{ permanentDelete: true }, true],
    [{ delete: false, permanentDelete: false }, false],
    [{ delete: null }, false],
  ])('reads delete / permanentDelete %j as deletes=%s', (actions, deletes) => {
    expect(ok(parseGraphRule(MAILBOX, graphRule(actions))).deletes).toBe(deletes);
  });

  it('takes isEnabled false as disabled and a missing or null isEnabled as enabled', () => {
    expect(ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { isEnabled: false }))).enabled).toBe(false);
    expect(ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { isEnabled: null }))).enabled).toBe(true);
  });

  it('names the moved-to folder from the folder map, keeps the ID when unknown, and has none for ""', () => {
    const folders = { f1: 'RSS Feeds' };
    const unread = { f2: 403 };
    const known = ok(parseGraphRule(MAILBOX, graphRule({ moveToFolder: 'f1' }), folders, unread));
    expect([known.moveToFolder, known.moveToFolderUnread]).toEqual(['RSS Feeds', null]);
    const unreadable = ok(parseGraphRule(MAILBOX, graphRule({ moveToFolder: 'f2' }), folders, unread));
    expect([unreadable.moveToFolder, unreadable.moveToFolderUnread]).toEqual(['f2', 403]);
    const unknown = ok(parseGraphRule(MAILBOX, graphRule({ moveToFolder: 'f3' }), folders, unread));
    expect([unknown.moveToFolder, unknown.moveToFolderUnread]).toEqual(['f3', null]);
    const empty = ok(parseGraphRule(MAILBOX, graphRule({ moveToFolder: '' }), folders, { '': 500 }));
    expect([empty.moveToFolder, empty.moveToFolderUnread]).toEqual([null, 500]);
    const none = ok(parseGraphRule(MAILBOX, graphRule({ markAsRead: true }), folders, unread));
    expect([none.moveToFolder, none.moveToFolderUnread]).toEqual([null, null]);
    // No folder ID is not the ID "null" or "undefined".
    const nullFolder = ok(
      parseGraphRule(MAILBOX, graphRule({ moveToFolder: null }), {}, { null: 500, undefined: 500 }),
    );
    expect([nullFolder.moveToFolder, nullFolder.moveToFolderUnread]).toEqual([null, null]);
  });

  it('does not call a folder unread when its name was read after all', () => {
    const r = ok(parseGraphRule(MAILBOX, graphRule({ moveToFolder: 'f1' }), { f1: 'Archive' }, { f1: 403 }));
    expect([r.moveToFolder, r.moveToFolderUnread]).toEqual(['Archive', null]);
  });

  it('ignores @odata annotations among the actions', () => {
    const r = ok(
      parseGraphRule(MAILBOX, graphRule({ '@odata.type': '#microsoft.graph.messageRuleActions', delete: true })),
    );
    expect(r.deletes).toBe(true);
  });

  it.each([
    ['no id', { actions: { delete: true } }, '(no id)', '', 'the rule has no id'],
    ['an empty id', { id: '', displayName: 'x', actions: { delete: true } }, '(no id)', 'x', 'the rule has no id'],
    ['no actions', { id: 'r9', displayName: 'y' }, 'r9', 'y', 'the rule has no actions object'],
    [
      'unknown actions',
      { id: 'r9', actions: { forwardToEverybody: true, delete: true, sendSms: 1 } },
      'r9',
      '',
      'unknown action field forwardToEverybody, sendSms',
    ],
    [
      'a mistyped action',
      { id: 'r9', actions: { delete: 'true' } },
      'r9',
      '',
      '/actions/delete is a string ("true"), expected a boolean or null',
    ],
    [
      'a recipient without a readable address',
      { id: 'r9', actions: { forwardAsAttachmentTo: [to('Megan Bowen')] } },
      'r9',
      '',
      'forwardAsAttachmentTo holds a recipient without a readable address',
    ],
  ])('cannot judge a rule with %s, and says why', (_what, rule, ruleId, name, reason) => {
    expect(parseGraphRule(MAILBOX, rule as unknown as MessageRule)).toStrictEqual({
      ok: false,
      mailbox: MAILBOX,
      ruleId,
      name,
      reason,
    });
  });

  it('lets an unexpected error through instead of calling it a rule problem', () => {
    const conditions: Record<string, unknown> = { subjectContains: ['x'], size: BigInt(5) };
    expect(() => parseGraphRule(MAILBOX, graphRule({ delete: true }, { conditions }))).toThrow(TypeError);
  });
});

describe('parseGraphRule: rule parts are shared with the snapshot when plain JSON, else copied as JSON', () => {
  it('shares plain conditions and actions (strings, numbers, booleans, null, lists, null-prototype objects)', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' });
    const conditions = {
      subjectContains: ['a'],
      withinSizeRange: { minimumSize: 1, maximumSize: 2.5 },
      flag: true,
      none: null,
      bare,
    };
    const actions = { forwardTo: [to('a@mail.test', 'A')], markAsRead: false, moveToFolder: 'f1' };
    const r = ok(parseGraphRule(MAILBOX, graphRule(actions, { conditions })));
    expect(r.conditions).toBe(conditions);
    expect(r.actions).toBe(actions);
  });

  it('shares data nested 32 levels deep, and copies data nested deeper', () => {
    const at32 = { deep: nested(31) };
    expect(ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { conditions: at32 }))).conditions).toBe(at32);
    const at33 = { deep: nested(32) };
    const copied = ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { conditions: at33 }))).conditions;
    expect(copied).not.toBe(at33);
    expect(copied).toStrictEqual(at33);
    let list: unknown = ['leaf'];
    for (let i = 0; i < 33; i++) list = [list];
    const deepList = { deep: list };
    const listCopy = ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { conditions: deepList }))).conditions;
    expect(listCopy).not.toBe(deepList);
    expect(listCopy).toStrictEqual(deepList);
  });

  it.each([
    ['a Date', { when: new Date('2026-01-02T03:04:05Z') }, { when: '2026-01-02T03:04:05.000Z' }],
    [
      'a Date in a list among plain values',
      { list: ['a', new Date('2026-01-02T03:04:05Z')] },
      { list: ['a', '2026-01-02T03:04:05.000Z'] },
    ],
    ['a Map', { map: new Map([['a', 1]]) }, { map: {} }],
    ['an undefined field', { gone: undefined, kept: 'k' }, { kept: 'k' }],
    ['a function', { fn: () => 1, kept: 'k' }, { kept: 'k' }],
    ['an infinite number', { size: Number.POSITIVE_INFINITY }, { size: null }],
    ['a number that is not one', { size: Number.NaN }, { size: null }],
  ])('copies conditions holding %s as the JSON they serialise to', (_what, conditions, json) => {
    const r = ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { conditions })));
    expect(r.conditions).not.toBe(conditions);
    expect(r.conditions).toStrictEqual(json);
  });

  it('reads absent or null conditions as none', () => {
    expect(ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { conditions: null }))).conditions).toStrictEqual({});
    expect(
      ok(parseGraphRule(MAILBOX, graphRule({ delete: true }, { conditions: undefined }))).conditions,
    ).toStrictEqual({});
  });
});

describe('parseGraphRuleOnce: one parse per rule object and reading context', () => {
  it('returns the same parse for the same rule, mailbox and folder maps', () => {
    const rule = graphRule({ moveToFolder: 'f1' });
    const folders = { f1: 'Archive' };
    const unread = { f2: 403 };
    const first = parseGraphRuleOnce(MAILBOX, rule, folders, unread);
    expect(parseGraphRuleOnce(MAILBOX, rule, folders, unread)).toBe(first);
    expect(ok(first).moveToFolder).toBe('Archive');
  });

  it('parses again when the mailbox, the folder names or the unread folders differ', () => {
    const rule = graphRule({ moveToFolder: 'f1' });
    const folders = { f1: 'Archive' };
    const unread = {};
    const first = parseGraphRuleOnce(MAILBOX, rule, folders, unread);
    const other = parseGraphRuleOnce('megan@contoso.example', rule, folders, unread);
    expect(ok(other).mailbox).toBe('megan@contoso.example');
    const renamed = parseGraphRuleOnce('megan@contoso.example', rule, { f1: 'RSS Feeds' }, unread);
    expect(ok(renamed).moveToFolder).toBe('RSS Feeds');
    const empty = {};
    const unnamed = parseGraphRuleOnce('megan@contoso.example', rule, empty, unread);
    expect(ok(unnamed).moveToFolderUnread).toBe(null);
    const refused = parseGraphRuleOnce('megan@contoso.example', rule, empty, { f1: 403 });
    expect(ok(refused).moveToFolderUnread).toBe(403);
    expect(first).not.toBe(other);
    expect(ok(first).mailbox).toBe(MAILBOX);
  });

  it('gives an error for a rule that is not an object instead of failing to cache it', () => {
    expect(parseGraphRuleOnce(MAILBOX, 'junk' as unknown as MessageRule)).toStrictEqual({
      ok: false,
      mailbox: MAILBOX,
      ruleId: '(no id)',
      name: '',
      reason: 'the rule has no id',
    });
  });
});

describe('parseExchangeRule: what a Get-InboxRule object becomes', () => {
  it('reads every field of a hidden forwarding rule', () => {
    const parsed = parseExchangeRule(MAILBOX, {
      Identity: 'adele\\11111',
      Name: 'hide',
      Enabled: true,
      ForwardTo: ['"Megan Bowen" [SMTP:megan@contoso.example]', 'smtp:x@mail.test'],
      ForwardAsAttachmentTo: 'y@mail.test',
      RedirectTo: ['[SMTP:z@mail.test] "not a name"'],
      MoveToFolder: 'adele:\\RSS Feeds',
      MarkAsRead: true,
      StopProcessingRules: false,
      DeleteMessage: null,
      CopyToFolder: null,
      SubjectContainsWords: 'invoice',
      BodyContainsWords: ['wire', 'payment'],
      From: null,
      SentTo: ['me@contoso.example'],
      Description: 'not read',
    });
    expect(parsed).toStrictEqual({
      ok: true,
      rule: {
        mailbox: MAILBOX,
        ruleId: '11111',
        name: 'hide',
        enabled: true,
        source: 'exchange',
        conditions: {
          SubjectContainsWords: 'invoice',
          BodyContainsWords: ['wire', 'payment'],
          SentTo: ['me@contoso.example'],
        },
        actions: {
          ForwardTo: ['"Megan Bowen" [SMTP:megan@contoso.example]', 'smtp:x@mail.test'],
          ForwardAsAttachmentTo: 'y@mail.test',
          RedirectTo: ['[SMTP:z@mail.test] "not a name"'],
          MoveToFolder: 'adele:\\RSS Feeds',
          MarkAsRead: true,
          StopProcessingRules: false,
        },
        recipients: [
          { action: 'forwardTo', address: 'megan@contoso.example', name: 'Megan Bowen' },
          { action: 'forwardTo', address: 'x@mail.test', name: null },
          { action: 'forwardAsAttachmentTo', address: 'y@mail.test', name: null },
          { action: 'redirectTo', address: 'z@mail.test', name: null },
        ],
        deletes: false,
        moveToFolder: 'RSS Feeds',
        moveToFolderUnread: null,
        markAsRead: true,
        conditionTexts: [
          { field: 'SubjectContainsWords', value: 'invoice' },
          { field: 'BodyContainsWords', value: 'wire' },
          { field: 'BodyContainsWords', value: 'payment' },
          { field: 'SentTo', value: 'me@contoso.example' },
        ],
      },
    });
  });

  it('reads an empty quoted name as an empty name, and one quoted character', () => {
    const r = ok(
      parseExchangeRule(MAILBOX, { Identity: 'a\\1', ForwardTo: ['"" [SMTP:a@mail.test]', '"B" [SMTP:b@mail.test]'] }),
    );
    expect(r.recipients.map((x) => x.name)).toEqual(['', 'B']);
  });

  it.each([
    [{ DeleteMessage: true }, true, false],
    [{ SoftDeleteMessage: true }, true, false],
    [{ DeleteMessage: false, SoftDeleteMessage: false, MarkAsRead: false }, false, false],
    [{ MarkAsRead: true }, false, true],
    [{ MarkAsRead: null, DeleteMessage: null }, false, false],
  ])('reads %j as deletes=%s, markAsRead=%s', (fields, deletes, markAsRead) => {
    const r = ok(parseExchangeRule(MAILBOX, { Identity: 'a\\1', ...fields }));
    expect([r.deletes, r.markAsRead]).toEqual([deletes, markAsRead]);
  });

  it('reads Enabled false as disabled and a folder without a mailbox part, or an empty one', () => {
    const off = ok(parseExchangeRule(MAILBOX, { Identity: 'a\\1', Enabled: false, MoveToFolder: 'Archive' }));
    expect([off.enabled, off.moveToFolder]).toEqual([false, 'Archive']);
    const empty = ok(parseExchangeRule(MAILBOX, { Identity: 'a\\1', MoveToFolder: '' }));
    expect([empty.enabled, empty.moveToFolder]).toEqual([true, null]);
  });

  it.each([
    ['the Identity tail', { Identity: 'adele\\987', RuleIdentity: 5 }, '987'],
    ['a numeric RuleIdentity when Identity has no tail', { Identity: 'adele\\', RuleIdentity: 12345 }, '12345'],
    ['a string RuleIdentity when there is no Identity', { RuleIdentity: 'abc' }, 'abc'],
    ['a hash of the name, never the name', { Name: 'evil <b>' }, 'name-ad7da4821d323088'],
  ])('takes the rule ID from %s', (_what, fields, ruleId) => {
    const r = ok(parseExchangeRule(MAILBOX, { ...fields, DeleteMessage: true }));
    expect(r.ruleId).toBe(ruleId);
  });

  it.each([
    ['no action field', { Identity: 'a\\1', Name: 'n', Description: 'x' }, 'n', 'the rule has no action field'],
    [
      'a mistyped field',
      { Identity: 'a\\1', DeleteMessage: 'yes' },
      '',
      '/DeleteMessage is a string ("yes"), expected a boolean or null',
    ],
    [
      'a recipient list of another type',
      { Identity: 'a\\1', ForwardTo: 42 },
      '',
      '/ForwardTo is a number (42), expected an array or a string or null',
    ],
    [
      'a recipient list holding another type',
      { Identity: 'a\\1', ForwardTo: ['a@mail.test', 7] },
      '',
      '/ForwardTo/1 is a number (7), expected a string',
    ],
    [
      'an unreadable recipient',
      { Identity: 'a\\1', RedirectTo: 'Megan Bowen' },
      '',
      'redirectTo holds a recipient without a readable address',
    ],
    [
      'an unreadable forward-as-attachment recipient',
      { Identity: 'a\\1', ForwardAsAttachmentTo: ['ok@mail.test', 'nobody'] },
      '',
      'forwardAsAttachmentTo holds a recipient without a readable address',
    ],
  ])('cannot judge a rule with %s, and says why', (_what, fields, name, reason) => {
    expect(parseExchangeRule(MAILBOX, fields)).toStrictEqual({
      ok: false,
      mailbox: MAILBOX,
      ruleId: '1',
      name,
      reason,
    });
  });

  it('reads null recipient lists as none', () => {
    const r = ok(parseExchangeRule(MAILBOX, { Identity: 'a\\1', ForwardTo: null, RedirectTo: null, MarkAsRead: true }));
    expect(r.recipients).toEqual([]);
  });
});
