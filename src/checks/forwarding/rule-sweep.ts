import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import { INBOX_RULE_MAILBOX_PROPERTY } from '../../snapshot/exchange-types.js';
import type { MailboxMessageRules } from '../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../check.js';
import { nothingRead } from '../nothing-read.js';
import { type InboxRule, parseExchangeRule, parseGraphRuleOnce, type ParsedRule } from './message-rule.js';

/** Batch item error codes that mean "this user has no Exchange Online mailbox". */
const NO_MAILBOX_CODES: ReadonlySet<string> = new Set([
  'MailboxNotEnabledForRESTAPI',
  'MailboxNotFound',
  'ResourceNotFound',
  'ErrorInvalidUser',
  'ErrorNonExistentMailbox',
]);

/** True when a batch item says the user has no mailbox: skipped and counted, never judged. */
export function isNoMailbox(item: Pick<MailboxMessageRules, 'status' | 'body'>): boolean {
  return item.status === 404 && (item.body.error === undefined || NO_MAILBOX_CODES.has(item.body.error.code));
}

/** Judges one enabled rule; returns a finding for a rule that breaks the control, else nothing. */
export type RuleJudge = (rule: InboxRule, hidden: boolean) => Finding | undefined;

export function ruleTarget(mailbox: string, ruleId: string): string {
  return `${mailbox}/${ruleId}`;
}

function parseError(parsed: Extract<ParsedRule, { ok: false }>, source: string): Finding {
  return {
    target: ruleTarget(parsed.mailbox, parsed.ruleId),
    status: 'error',
    message: `This inbox rule cannot be judged: ${parsed.reason}.`,
    evidence: { mailbox: parsed.mailbox, ruleId: parsed.ruleId, ruleName: parsed.name, source, reason: parsed.reason },
  };
}

/**
 * A fold over every mailbox's inbox rules (graph.messageRules), plus the hidden rules read with
 * `Get-InboxRule -IncludeHidden` when that source is `ok`. Findings are per rule (fail or
 * error); a mailbox whose rules could not be read is an `error` for that mailbox. When nothing
 * is found the tenant passes, with the counts of what was covered.
 */
export function ruleSweepFold(input: CheckInput, judge: RuleJudge): Fold<MailboxMessageRules> {
  const { snapshot } = input;
  const findings: Finding[] = [];
  const counts = { mailboxes: 0, noMailbox: 0, unreadable: 0, rules: 0, disabledRules: 0 };
  const hiddenStatus = snapshot.status('exo.inboxRule');
  const hiddenRules = hiddenStatus?.status === 'ok' ? snapshot.data('exo.inboxRule') : [];
  const ownerOf = (rule: Readonly<Record<string, unknown>>): string => {
    const owner = rule[INBOX_RULE_MAILBOX_PROPERTY];
    return typeof owner === 'string' ? owner : '';
  };
  // Visible rule names of the mailboxes whose hidden rules were read, to skip rules seen twice.
  const hiddenMailboxes = new Set(hiddenRules.map((r) => ownerOf(r).toLowerCase()));
  const visibleNames = new Map<string, Set<string>>();

  return {
    add(page) {
      for (const item of page) {
        if (isNoMailbox(item)) {
          counts.noMailbox++;
          continue;
        }
        const mailbox = item.userPrincipalName;
        if (item.status < 200 || item.status >= 300 || !Array.isArray(item.body.value)) {
          counts.unreadable++;
          findings.push({
            target: mailbox,
            status: 'error',
            message: `The inbox rules of this mailbox could not be read (HTTP ${item.status}).`,
            evidence: { mailbox, status: item.status, code: item.body.error?.code ?? null },
            // Its rules are unseen: an issue of one of them must not close on this run.
            incomplete: true,
          });
          continue;
        }
        counts.mailboxes++;
        const key = mailbox.toLowerCase();
        for (const raw of item.body.value) {
          const parsed = parseGraphRuleOnce(mailbox, raw, item.folders, item.unreadFolders);
          counts.rules++;
          if (hiddenMailboxes.has(key)) {
            const names = visibleNames.get(key) ?? new Set<string>();
            names.add(parsed.ok ? parsed.rule.name : parsed.name);
            visibleNames.set(key, names);
          }
          if (!parsed.ok) {
            findings.push(parseError(parsed, 'graph'));
            continue;
          }
          if (!parsed.rule.enabled) {
            counts.disabledRules++;
            continue;
          }
          const finding = judge(parsed.rule, false);
          if (finding) findings.push(finding);
        }
      }
    },
    finish() {
      let hiddenRead = 0;
      for (const raw of hiddenRules) {
        const mailbox = ownerOf(raw);
        const parsed = parseExchangeRule(mailbox, raw);
        const name = parsed.ok ? parsed.rule.name : parsed.name;
        // Get-InboxRule -IncludeHidden lists visible rules too; those were judged from Graph. One
        // that cannot be read is not taken for its namesake: it is an error of its own.
        if (parsed.ok && visibleNames.get(mailbox.toLowerCase())?.has(name)) continue;
        hiddenRead++;
        if (!parsed.ok) {
          findings.push(parseError(parsed, 'exchange'));
          continue;
        }
        if (!parsed.rule.enabled) continue;
        const finding = judge(parsed.rule, true);
        if (finding) findings.push(finding);
      }
      const sweep: JsonObject = {
        ...counts,
        hiddenRules:
          hiddenStatus?.status === 'ok'
            ? { read: true, mailboxes: hiddenMailboxes.size, rulesNotVisibleInGraph: hiddenRead }
            : { read: false, reason: hiddenStatus === undefined ? 'not collected' : hiddenStatus.status },
      };
      if (findings.length === 0 && counts.mailboxes === 0) {
        return [
          nothingRead(
            `No mailbox's inbox rules were read (${counts.noMailbox} users without a mailbox)`,
            'a tenant audited for mail has mailboxes',
            { sweep },
          ),
        ];
      }
      if (findings.length === 0) {
        const hidden =
          hiddenStatus?.status === 'ok'
            ? `, and ${hiddenRead} rules hidden from Outlook in ${hiddenMailboxes.size}`
            : '';
        return [
          {
            target: TENANT_TARGET,
            status: 'pass',
            message: `No enabled inbox rule breaks this control among ${counts.rules} rules of ${counts.mailboxes} mailboxes${hidden}.`,
            evidence: { sweep },
          },
        ];
      }
      return findings.map((f) => ({ ...f, evidence: { ...f.evidence, sweep } }));
    },
    coverage() {
      return { ...counts };
    },
  };
}
