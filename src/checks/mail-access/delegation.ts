import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import { type ExchangeObject, MAILBOX_PERMISSION_MAILBOX_PROPERTY } from '../../snapshot/exchange-types.js';
import { inShard } from '../../snapshot/shard.js';
import type { CheckInput } from '../check.js';
import { nothingRead } from '../nothing-read.js';
import { identityKeys, mailboxName, text } from '../exchange-values.js';
import { type ExchangeAppPointer, exchangeAppPointers } from './exchange-service-principals.js';
import { type Grant, isUnresolvedSid, readFullAccessRow, readSendAsRow, type RowReading } from './permission-rows.js';

/** A user mailbox (`RecipientTypeDetails` UserMailbox); one without the property is judged too. */
function isUserMailbox(mailbox: ExchangeObject): boolean {
  const type = text(mailbox.RecipientTypeDetails);
  return type === undefined || type.toLowerCase() === 'usermailbox';
}

/** The shard key of a mailbox, as the FullAccess sweep uses it (the Entra user ID). */
function shardKey(mailbox: ExchangeObject): string {
  return text(mailbox.ExternalDirectoryObjectId) ?? mailboxName(mailbox);
}

/** A shared mailbox: people are meant to share it, but an app reading it is still reported. */
function isSharedMailbox(mailbox: ExchangeObject): boolean {
  return text(mailbox.RecipientTypeDetails)?.toLowerCase() === 'sharedmailbox';
}

/**
 * `mailbox.delegation`: explicit FullAccess (Get-MailboxPermission, per mailbox) and SendAs
 * (Get-RecipientPermission, tenant-wide) on user mailboxes, to anyone but the owner, SELF and the
 * policy's allowed delegates; and FullAccess to an app's Exchange service principal on a user or
 * shared mailbox (how an app with IMAP.AccessAsApp or POP.AccessAsApp reaches it), reported with
 * the app. One result per mailbox and delegate.
 */
export function delegation({ snapshot, params }: CheckInput): readonly Finding[] {
  const shard = snapshot.manifest.shard;
  const swept = snapshot
    .data('exo.mailbox')
    .filter((m) => (isUserMailbox(m) || isSharedMailbox(m)) && inShard(shardKey(m), shard));
  const mailboxes = swept.filter(isUserMailbox);
  if (mailboxes.length === 0 && (shard === undefined || shard.count === 1)) {
    return [
      {
        target: TENANT_TARGET,
        status: 'error',
        message:
          'Get-Mailbox listed no user mailbox, though the tenant was audited through Exchange: the read is incomplete.',
        evidence: { mailboxes: snapshot.data('exo.mailbox').length },
      },
    ];
  }
  const fullAccessRows = snapshot.data('exo.mailboxPermission');
  const sendAsRows = snapshot.data('exo.recipientPermission');
  // Every mailbox lists its own entry ("FullAccess and ReadPermission are directly assigned to
  // NT AUTHORITY\SELF", get-mailboxpermission): a sweep of mailboxes that gave no row read nothing.
  if (swept.length > 0 && fullAccessRows.length === 0) {
    return [
      nothingRead(
        `Get-MailboxPermission gave no row for ${swept.length} mailbox(es)`,
        'every mailbox lists at least its own NT AUTHORITY\\SELF entry',
        { mailboxes: swept.length },
      ),
    ];
  }
  // Rows name a mailbox by the address the sweep asked for (FullAccess) or by the name Exchange
  // gives it (SendAs), and a delegate by any of its names: index the user mailboxes under the
  // names the rows use only (every name of every mailbox would be nine entries per mailbox).
  const wanted = new Set<string>();
  for (const row of fullAccessRows) {
    for (const k of [MAILBOX_PERMISSION_MAILBOX_PROPERTY, 'Identity', 'User']) {
      const name = text(row[k]);
      if (name !== undefined) wanted.add(name.toLowerCase());
    }
  }
  for (const row of sendAsRows) {
    for (const k of ['Identity', 'Trustee'] as const) {
      const name = text(row[k]);
      if (name !== undefined) wanted.add(name.toLowerCase());
    }
  }
  const byName = new Map<string, ExchangeObject>();
  for (const m of swept) for (const k of identityKeys(m)) if (wanted.has(k) && !byName.has(k)) byName.set(k, m);
  const allowed = new Set(params.strings('allowedDelegates').map((d) => d.trim().toLowerCase()));
  const pointerStatus = snapshot.status('exo.servicePrincipal');
  // Why Get-ServicePrincipal cannot be read, or undefined when it was read in full.
  const pointersUnread =
    pointerStatus === undefined
      ? 'exo.servicePrincipal was not collected in this run'
      : pointerStatus.status === 'ok'
        ? undefined
        : `exo.servicePrincipal is ${pointerStatus.status.replace('_', ' ')}: ${pointerStatus.reason}`;
  const pointers =
    pointersUnread === undefined ? exchangeAppPointers(snapshot.data('exo.servicePrincipal')) : undefined;
  // Without the Exchange service principals, a FullAccess grant on a shared mailbox to a holder
  // that is no mailbox may be an app's (IMAP/POP): it cannot be passed as people sharing it.
  const mailboxNames = new Set<string>();
  if (pointers === undefined)
    for (const m of snapshot.data('exo.mailbox'))
      for (const k of identityKeys(m)) if (wanted.has(k)) mailboxNames.add(k);
  const unknownSharedHolders: JsonObject[] = [];

  const counts = {
    userMailboxes: mailboxes.length,
    fullAccessRows: 0,
    sendAsRows: 0,
    owner: 0,
    self: 0,
    inherited: 0,
    deny: 0,
    allowedDelegates: 0,
    appGrants: 0,
    notUserMailboxes: 0,
  };
  const unreadable: string[] = [];
  const grants = new Map<string, { mailbox: ExchangeObject; user: string; rights: Set<string> }>();
  const appGrants = new Map<string, { mailbox: ExchangeObject; user: string; app: ExchangeAppPointer }>();
  const take = (reading: RowReading): void => {
    if (reading.kind === 'unreadable') {
      unreadable.push(reading.why);
      return;
    }
    if (reading.kind === 'skip') {
      if (reading.why === 'self') counts.self++;
      else if (reading.why === 'inherited') counts.inherited++;
      else if (reading.why === 'deny') counts.deny++;
      return;
    }
    const grant: Grant = reading.grant;
    const mailbox = byName.get(grant.mailbox.toLowerCase());
    if (mailbox === undefined) {
      // A room or group mailbox, another recipient, or one outside this shard.
      counts.notUserMailboxes++;
      return;
    }
    const user = grant.user.toLowerCase();
    if (identityKeys(mailbox).includes(user)) {
      counts.owner++;
      return;
    }
    const app = grant.right === 'FullAccess' ? pointers?.byName(user) : undefined;
    if (allowed.has(user) || (app !== undefined && allowed.has(app.appId))) {
      counts.allowedDelegates++;
      return;
    }
    if (app !== undefined) {
      appGrants.set(`${mailboxName(mailbox).toLowerCase()}\n${app.appId}`, { mailbox, user: grant.user, app });
      return;
    }
    if (!isUserMailbox(mailbox)) {
      if (pointers === undefined && grant.right === 'FullAccess' && !mailboxNames.has(user)) {
        unknownSharedHolders.push({ mailbox: mailboxName(mailbox), user: grant.user });
        return;
      }
      // People are meant to share a shared mailbox.
      counts.notUserMailboxes++;
      return;
    }
    const key = `${mailboxName(mailbox).toLowerCase()}\n${user}`;
    const entry = grants.get(key) ?? { mailbox, user: grant.user, rights: new Set<string>() };
    entry.rights.add(grant.right);
    grants.set(key, entry);
  };
  for (const row of fullAccessRows) {
    counts.fullAccessRows++;
    take(readFullAccessRow(row));
  }
  for (const row of sendAsRows) {
    counts.sendAsRows++;
    take(readSendAsRow(row));
  }

  const findings: Finding[] = [];
  for (const { mailbox, user, rights } of grants.values()) {
    const name = mailboxName(mailbox);
    const unresolved = isUnresolvedSid(user);
    const delegate = byName.get(user.toLowerCase());
    const evidence: JsonObject = {
      mailbox: name,
      user,
      rights: [...rights].sort(),
      delegateKind: unresolved ? 'unresolved-sid' : delegate !== undefined ? 'mailbox' : 'other',
      ...(delegate !== undefined ? { delegateMailbox: mailboxName(delegate) } : {}),
    };
    findings.push({
      target: `${name}/${user}`,
      status: 'fail',
      message: unresolved
        ? `The mailbox grants ${[...rights].sort().join(' and ')} to an account that no longer resolves (a deleted user's SID).`
        : `The mailbox grants ${[...rights].sort().join(' and ')} to a delegate the policy does not allow.`,
      evidence,
      ...(unresolved ? { severity: 'high' as const } : {}),
    });
  }
  for (const { mailbox, user, app } of appGrants.values()) {
    counts.appGrants++;
    const name = mailboxName(mailbox);
    findings.push({
      target: `${name}/app/${app.appId}`,
      status: 'fail',
      message:
        'The mailbox grants FullAccess to an app (its Exchange service principal): with IMAP.AccessAsApp or POP.AccessAsApp the app reads it.',
      evidence: {
        mailbox: name,
        recipientTypeDetails: text(mailbox.RecipientTypeDetails) ?? null,
        user,
        rights: ['FullAccess'],
        delegateKind: 'app',
        appId: app.appId,
        appDisplayName: app.displayName,
        judgedAlsoBy: 'apps.mail-access (the app’s application permissions)',
      },
    });
  }
  // Holders are gathered only while the pointers are unread, so pointersUnread says why here.
  if (unknownSharedHolders.length > 0) {
    findings.push({
      target: TENANT_TARGET,
      status: pointerStatus?.status === 'failed' ? 'error' : 'not_evaluable',
      message: `${unknownSharedHolders.length} FullAccess grant(s) on shared mailboxes name a holder that is no mailbox and may be an app's Exchange service principal, which Get-ServicePrincipal would tell: ${pointersUnread}.`,
      evidence: { grants: unknownSharedHolders, ...counts },
    });
  }
  if (unreadable.length > 0) {
    findings.push({
      target: TENANT_TARGET,
      status: 'error',
      message: `${unreadable.length} permission row(s) could not be read, so the grants they hold are not judged.`,
      evidence: { unreadable: [...new Set(unreadable)], ...counts },
    });
  }
  if (findings.length > 0) return findings;
  return [
    {
      target: TENANT_TARGET,
      status: 'pass',
      message: `No user mailbox of ${mailboxes.length} grants FullAccess or SendAs to anyone but its owner and the allowed delegates.`,
      evidence: counts,
    },
  ];
}
