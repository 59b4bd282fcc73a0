import { createHash } from 'node:crypto';
import { isJsonObject, type Json, type JsonObject } from '../../model/json.js';
import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import type { MessageRule } from '../../snapshot/graph-types.js';
import { ruleCheck } from '../../snapshot/shape-check.js';
import { addressOf } from './recipient-domain.js';

/**
 * One inbox rule in a shape the forwarding checks share, read from Graph `messageRule`
 * (https://learn.microsoft.com/graph/api/resources/messagerule) or from `Get-InboxRule`
 * output. Names are kept verbatim: they are attacker-controlled and escaped only when shown.
 */
export interface ForwardRecipient {
  readonly action: 'forwardTo' | 'forwardAsAttachmentTo' | 'redirectTo';
  readonly address: string;
  readonly name: string | null;
}

export interface InboxRule {
  readonly mailbox: string;
  readonly ruleId: string;
  readonly name: string;
  readonly enabled: boolean;
  /** `graph` rules are visible to MAPI; `exchange` rules came from `Get-InboxRule -IncludeHidden`. */
  readonly source: 'graph' | 'exchange';
  readonly conditions: JsonObject;
  readonly actions: JsonObject;
  readonly recipients: readonly ForwardRecipient[];
  readonly deletes: boolean;
  readonly moveToFolder: string | null;
  /**
   * The HTTP status with which reading the name of the folder the rule moves mail to failed
   * (403, 5xx), or `null`: such a folder cannot be told from "RSS Feeds" by name.
   */
  readonly moveToFolderUnread: number | null;
  readonly markAsRead: boolean;
  /** Every condition text (subject, body, sender words and addresses), for trigger matching. */
  readonly conditionTexts: readonly { readonly field: string; readonly value: string }[];
}

export type ParsedRule =
  | { readonly ok: true; readonly rule: InboxRule }
  | {
      readonly ok: false;
      readonly mailbox: string;
      readonly ruleId: string;
      readonly name: string;
      readonly reason: string;
    };

/** Graph's messageRuleActions properties (v1.0). Anything else is an action we cannot judge. */
const GRAPH_ACTIONS: ReadonlySet<string> = new Set([
  'assignCategories',
  'copyToFolder',
  'delete',
  'forwardAsAttachmentTo',
  'forwardTo',
  'markAsRead',
  'markImportance',
  'moveToFolder',
  'permanentDelete',
  'redirectTo',
  'stopProcessingRules',
]);

const GRAPH_TEXT_CONDITIONS = [
  'subjectContains',
  'bodyContains',
  'bodyOrSubjectContains',
  'senderContains',
  'headerContains',
  'recipientContains',
];
const GRAPH_ADDRESS_CONDITIONS = ['fromAddresses', 'sentToAddresses'];

/** True when `value` is already plain JSON (what JSON.parse gives), so it can be used as is. */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

/**
 * Rule parts as JSON for the evidence. Data read from Graph or a snapshot is already JSON and
 * is shared, not copied (every rule is parsed once per rule control); anything else is copied.
 */
function toJson(value: unknown): Json {
  if (isPlainJson(value ?? null)) return (value ?? null) as Json;
  return JSON.parse(JSON.stringify(value ?? null)) as Json;
}

function jsonObject(value: unknown): JsonObject {
  const json = toJson(value);
  return isJsonObject(json) ? json : {};
}

class RuleShapeError extends Error {}

/** A Graph recipient list; `redirectTo` was typed as a single recipient in older docs, so accept both. */
function graphRecipients(value: unknown, action: ForwardRecipient['action']): ForwardRecipient[] {
  if (value === undefined || value === null) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    const email = isJsonObject(entry) ? entry.emailAddress : undefined;
    const raw = isJsonObject(email) && typeof email.address === 'string' ? email.address : undefined;
    const address = raw === undefined ? undefined : addressOf(raw);
    if (address === undefined) throw new RuleShapeError(`${action} holds a recipient without a readable address`);
    const name = isJsonObject(email) && typeof email.name === 'string' ? email.name : null;
    return { action, address, name };
  });
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The last parse of each rule object, so the rule controls folding over one stream (inbox
 * rules, concealment) parse every rule once. Weak: entries go with the page they came from.
 */
const NO_FOLDERS: { readonly [folderId: string]: string } = {};
const NO_UNREAD: { readonly [folderId: string]: number } = {};
const parsedRules = new WeakMap<object, { mailbox: string; folders: object; unread: object; parsed: ParsedRule }>();

/** `parseGraphRule`, shared by the folds that read the same rule object. */
export function parseGraphRuleOnce(
  mailbox: string,
  rule: MessageRule,
  folders: { readonly [folderId: string]: string } = NO_FOLDERS,
  unread: { readonly [folderId: string]: number } = NO_UNREAD,
): ParsedRule {
  const cached = parsedRules.get(rule);
  if (cached && cached.mailbox === mailbox && cached.folders === folders && cached.unread === unread)
    return cached.parsed;
  const parsed = parseGraphRule(mailbox, rule, folders, unread);
  if (typeof rule === 'object' && rule !== null) parsedRules.set(rule, { mailbox, folders, unread, parsed });
  return parsed;
}

export function parseGraphRule(
  mailbox: string,
  rule: MessageRule,
  folders: { readonly [folderId: string]: string } = {},
  unread: { readonly [folderId: string]: number } = {},
): ParsedRule {
  const ruleId = typeof rule.id === 'string' && rule.id !== '' ? rule.id : '(no id)';
  const name = typeof rule.displayName === 'string' ? rule.displayName : '';
  const fail = (reason: string): ParsedRule => ({ ok: false, mailbox, ruleId, name, reason });
  if (ruleId === '(no id)') return fail('the rule has no id');
  const actions = rule.actions;
  if (!isJsonObject(actions)) return fail('the rule has no actions object');
  const unknown = Object.keys(actions).filter((k) => !k.startsWith('@') && !GRAPH_ACTIONS.has(k));
  if (unknown.length > 0) return fail(`unknown action field ${unknown.join(', ')}`);
  // Every field judged below has its type checked first: `delete: "true"` is not "no delete".
  const problem = ruleCheck('graph.messageRules')(rule);
  if (problem) return fail(`${problem.pointer} ${problem.message}`);
  try {
    const recipients = [
      ...graphRecipients(actions.forwardTo, 'forwardTo'),
      ...graphRecipients(actions.forwardAsAttachmentTo, 'forwardAsAttachmentTo'),
      ...graphRecipients(actions.redirectTo, 'redirectTo'),
    ];
    const conditions = isJsonObject(rule.conditions) ? rule.conditions : {};
    // Plain loops: this runs for every rule of every mailbox, so it allocates only what it keeps.
    const conditionTexts: { field: string; value: string }[] = [];
    for (const field of GRAPH_TEXT_CONDITIONS) {
      if (conditions[field] === undefined) continue;
      for (const value of strings(conditions[field])) conditionTexts.push({ field, value });
    }
    for (const field of GRAPH_ADDRESS_CONDITIONS) {
      const list = conditions[field];
      if (!Array.isArray(list)) continue;
      for (const r of list) {
        const email = isJsonObject(r) ? r.emailAddress : undefined;
        if (isJsonObject(email) && typeof email.address === 'string')
          conditionTexts.push({ field, value: email.address });
      }
    }
    return {
      ok: true,
      rule: {
        mailbox,
        ruleId,
        name,
        enabled: rule.isEnabled !== false,
        source: 'graph',
        conditions: jsonObject(conditions),
        actions: jsonObject(actions),
        recipients,
        deletes: actions.delete === true || actions.permanentDelete === true,
        moveToFolder:
          typeof actions.moveToFolder === 'string' && actions.moveToFolder !== ''
            ? (folders[actions.moveToFolder] ?? actions.moveToFolder)
            : null,
        moveToFolderUnread:
          typeof actions.moveToFolder === 'string' && folders[actions.moveToFolder] === undefined
            ? (unread[actions.moveToFolder] ?? null)
            : null,
        markAsRead: actions.markAsRead === true,
        conditionTexts,
      },
    };
  } catch (error: unknown) {
    if (error instanceof RuleShapeError) return fail(error.message);
    throw error;
  }
}

/** Get-InboxRule action properties; a rule with none of them cannot be judged. */
const EXCHANGE_ACTIONS = [
  'ForwardTo',
  'ForwardAsAttachmentTo',
  'RedirectTo',
  'DeleteMessage',
  'SoftDeleteMessage',
  'MoveToFolder',
  'CopyToFolder',
  'MarkAsRead',
  'StopProcessingRules',
];
const EXCHANGE_TEXT_CONDITIONS = [
  'SubjectContainsWords',
  'BodyContainsWords',
  'SubjectOrBodyContainsWords',
  'FromAddressContainsWords',
  'HeaderContainsWords',
  'From',
  'SentTo',
];

function exchangeRecipients(value: unknown, action: ForwardRecipient['action']): ForwardRecipient[] {
  // The exo.inboxRule schema, checked before, lets through only a string, a list of strings or null.
  if (value === undefined || value === null) return [];
  return strings(value).map((entry) => {
    const address = addressOf(entry);
    if (address === undefined) throw new RuleShapeError(`${action} holds a recipient without a readable address`);
    const quoted = /^"([^"]*)"/.exec(entry);
    return { action, address, name: quoted?.[1] ?? null };
  });
}

/** The rule ID part of a Get-InboxRule `Identity` (`alias\\1234567890`), else a hash of the rule name. */
function exchangeRuleId(rule: ExchangeObject, name: string): string {
  const identity = typeof rule.Identity === 'string' ? rule.Identity : '';
  const tail = identity.slice(identity.lastIndexOf('\\') + 1);
  if (tail !== '') return tail;
  if (typeof rule.RuleIdentity === 'string' || typeof rule.RuleIdentity === 'number') return String(rule.RuleIdentity);
  // Never the name itself: it is attacker-controlled and the target is shown unescaped in logs.
  return `name-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

export function parseExchangeRule(mailbox: string, rule: ExchangeObject): ParsedRule {
  const name = typeof rule.Name === 'string' ? rule.Name : '';
  const ruleId = exchangeRuleId(rule, name);
  const fail = (reason: string): ParsedRule => ({ ok: false, mailbox, ruleId, name, reason });
  if (!EXCHANGE_ACTIONS.some((k) => k in rule)) return fail('the rule has no action field');
  const problem = ruleCheck('exo.inboxRule')(rule);
  if (problem) return fail(`${problem.pointer} ${problem.message}`);
  try {
    const recipients = [
      ...exchangeRecipients(rule.ForwardTo, 'forwardTo'),
      ...exchangeRecipients(rule.ForwardAsAttachmentTo, 'forwardAsAttachmentTo'),
      ...exchangeRecipients(rule.RedirectTo, 'redirectTo'),
    ];
    const actions: Record<string, unknown> = {};
    for (const key of EXCHANGE_ACTIONS) if (rule[key] !== undefined && rule[key] !== null) actions[key] = rule[key];
    const conditions: Record<string, unknown> = {};
    for (const key of EXCHANGE_TEXT_CONDITIONS)
      if (rule[key] !== undefined && rule[key] !== null) conditions[key] = rule[key];
    const folder = typeof rule.MoveToFolder === 'string' && rule.MoveToFolder !== '' ? rule.MoveToFolder : null;
    return {
      ok: true,
      rule: {
        mailbox,
        ruleId,
        name,
        enabled: rule.Enabled !== false,
        source: 'exchange',
        conditions: jsonObject(conditions),
        actions: jsonObject(actions),
        recipients,
        deletes: rule.DeleteMessage === true || rule.SoftDeleteMessage === true,
        // Get-InboxRule shows a folder as `Mailbox:\Folder` or just `Folder`.
        moveToFolder: folder === null ? null : folder.slice(folder.lastIndexOf('\\') + 1),
        // Get-InboxRule names the folder itself.
        moveToFolderUnread: null,
        markAsRead: rule.MarkAsRead === true,
        conditionTexts: EXCHANGE_TEXT_CONDITIONS.flatMap((field) =>
          strings(rule[field]).map((value) => ({ field, value })),
        ),
      },
    };
  } catch (error: unknown) {
    if (error instanceof RuleShapeError) return fail(error.message);
    throw error;
  }
}
