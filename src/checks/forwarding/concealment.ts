import type { InboxRule } from './message-rule.js';

/**
 * Folders a compromised mailbox's rules hide mail in. Users almost never file mail in RSS
 * Feeds, RSS Subscriptions or Conversation History, so moving there is a pattern on its own;
 * Archive, Junk and Deleted Items are also used by ordinary rules, so they count only with a
 * second sign (marked as read, a trigger word, a security-team sender). Names are compared
 * without case or spaces, so the display name and Graph's well-known name both match.
 */
const HIDING_FOLDERS: ReadonlySet<string> = new Set(['rssfeeds', 'rsssubscriptions', 'conversationhistory']);
const ORDINARY_FOLDERS: ReadonlySet<string> = new Set(['archive', 'junkemail', 'junk', 'deleteditems']);

function folderKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, '');
}

export interface ConcealmentMatch {
  /** The main pattern: `move-to-hiding-folder`, `delete` or `move-to-folder` (Archive, Junk, Deleted Items). */
  readonly pattern: string;
  /** Every sign found, e.g. `folder:RSS Feeds`, `mark-as-read`, `trigger-word:invoice (subjectContains)`. */
  readonly signs: readonly string[];
}

/** Whether an enabled rule hides mail the way a compromised mailbox's rules do. */
export function concealment(
  rule: InboxRule,
  triggerWords: readonly string[],
  securityTeamSenders: readonly string[],
): ConcealmentMatch | undefined {
  const folder = rule.moveToFolder === null ? undefined : folderKey(rule.moveToFolder);
  const hidingFolder = folder !== undefined && HIDING_FOLDERS.has(folder);
  const ordinaryFolder = folder !== undefined && ORDINARY_FOLDERS.has(folder);
  if (!rule.deletes && !hidingFolder && !ordinaryFolder) return undefined;

  const signs: string[] = [];
  if (rule.moveToFolder !== null && (hidingFolder || ordinaryFolder)) signs.push(`folder:${rule.moveToFolder}`);
  if (rule.deletes) signs.push('delete');
  if (rule.markAsRead) signs.push('mark-as-read');
  const words = triggerWords.map((w) => w.toLowerCase()).filter((w) => w !== '');
  const senders = securityTeamSenders.map((s) => s.toLowerCase()).filter((s) => s !== '');
  for (const { field, value } of rule.conditionTexts) {
    const text = value.toLowerCase();
    for (const word of words) if (text.includes(word)) signs.push(`trigger-word:${word} (${field})`);
    for (const sender of senders)
      if (text === sender || text.includes(sender)) signs.push(`security-team-sender:${sender} (${field})`);
  }
  const qualified = signs.some(
    (s) => s === 'mark-as-read' || s.startsWith('trigger-word:') || s.startsWith('security-team-sender:'),
  );
  if (hidingFolder) return { pattern: 'move-to-hiding-folder', signs };
  if (!qualified) return undefined;
  return { pattern: rule.deletes ? 'delete' : 'move-to-folder', signs };
}
