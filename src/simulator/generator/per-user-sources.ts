import type { JsonObject } from '../../model/json.js';
import { SOURCE_FILES } from '../../snapshot/folder-layout.js';
import type { SourceId } from '../../snapshot/source-id.js';
import path from 'node:path';
import { rulesFor } from './inbox-rules.js';
import { type MailAccessPlan, MailboxPermissionWriter, mailboxAuditProperties } from './mail-access.js';
import { CollectionFile, StreamFile } from './json-writer.js';
import type { Scenarios } from './scenarios.js';
import { type GeneratedUser, type TenantShape, userAt } from './tenant-model.js';

/*
 * The sources written one row per user, in one pass over the users so memory stays flat at
 * 100,000 users: each source's row has its own builder below.
 */

const E5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';

/** `graph.users`. */
function userRow(u: GeneratedUser): JsonObject {
  return {
    id: u.id,
    userPrincipalName: u.upn,
    displayName: u.displayName,
    givenName: u.kind === 'member' || u.kind === 'admin' ? u.givenName : null,
    surname: u.kind === 'member' || u.kind === 'admin' ? u.surname : null,
    mail: u.mail,
    accountEnabled: u.enabled,
    userType: u.kind === 'guest' ? 'Guest' : 'Member',
    department: u.kind === 'guest' || u.kind === 'breakGlass' ? null : u.department,
    city: u.home.city,
    country: u.home.country,
    assignedLicenses: u.kind === 'member' || u.kind === 'admin' ? [{ skuId: E5 }] : [],
  };
}

/** `graph.userRegistrationDetails`. */
function registrationRow(shape: TenantShape, u: GeneratedUser): JsonObject {
  const strong = u.methods.some((m) => m === 'fido2' || m === 'windowsHelloForBusiness');
  return {
    id: u.id,
    userPrincipalName: u.upn,
    userDisplayName: u.displayName,
    userType: u.kind === 'guest' ? 'guest' : 'member',
    isAdmin: u.kind === 'admin' || u.kind === 'breakGlass',
    isSsprRegistered: u.methods.length > 0,
    isSsprEnabled: true,
    isSsprCapable: u.methods.length > 0,
    isMfaRegistered: u.methods.length > 0,
    isMfaCapable: u.methods.length > 0,
    isPasswordlessCapable: strong,
    methodsRegistered: u.methods,
    lastUpdatedDateTime: new Date(shape.capturedAt.getTime() - 3 * 3600_000).toISOString(),
  };
}

/** `exo.mailbox`, with the audit sets audit.mailbox-auditing reads. */
function mailboxRow(u: GeneratedUser, s: Scenarios, access: MailAccessPlan): JsonObject {
  const forwards = s.mailboxForwarders.has(u.index);
  return {
    Identity: u.displayName,
    Alias: u.alias,
    Name: u.alias,
    DisplayName: u.displayName,
    UserPrincipalName: u.upn,
    PrimarySmtpAddress: u.mail,
    RecipientTypeDetails: u.kind === 'shared' ? 'SharedMailbox' : 'UserMailbox',
    ExternalDirectoryObjectId: u.id,
    ForwardingAddress: null,
    ForwardingSmtpAddress: forwards ? `smtp:${u.alias}@personal-mail.example` : null,
    DeliverToMailboxAndForward: forwards,
    ...mailboxAuditProperties(access, u),
  };
}

/** `exo.casMailbox`. */
function casRow(u: GeneratedUser, s: Scenarios): JsonObject {
  return {
    Identity: u.displayName,
    Name: u.alias,
    PrimarySmtpAddress: u.mail,
    SmtpClientAuthenticationDisabled: s.smtpAuth.has(u.index) ? false : null,
  };
}

/** `graph.messageRules`: one line per user, the rules of its mailbox or Graph's answer that it has none. */
function messageRulesLine(u: GeneratedUser, graph: readonly JsonObject[] | undefined): string {
  if (graph === undefined)
    return `${JSON.stringify({ userId: u.id, userPrincipalName: u.upn, status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI', message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.' } } })}\n`;
  return `${JSON.stringify({ userId: u.id, userPrincipalName: u.upn, status: 200, body: { value: graph } })}\n`;
}

/** Writes the per-user sources; returns their counts and the administrators (for role assignments). */
export async function writePerUserSources(
  shape: TenantShape,
  s: Scenarios,
  out: string,
  header: Record<string, unknown>,
  access: MailAccessPlan,
): Promise<{ readonly counts: Partial<Record<SourceId, number>>; readonly admins: readonly GeneratedUser[] }> {
  const f = (id: SourceId): string => path.join(out, SOURCE_FILES[id]);
  const users = await CollectionFile.open(f('graph.users'), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
  });
  const registrations = await CollectionFile.open(f('graph.userRegistrationDetails'));
  const mailboxes = await CollectionFile.open(f('exo.mailbox'), header);
  const cas = await CollectionFile.open(f('exo.casMailbox'), header);
  const exoRules = await CollectionFile.open(f('exo.inboxRule'), header);
  const messageRules = await StreamFile.open(f('graph.messageRules'));
  // Mailbox permissions (FullAccess, SendAs) and audit bypass rows: per mailbox and per account.
  const permissions = await MailboxPermissionWriter.open(out, shape, access, header);
  const admins: GeneratedUser[] = [];
  let ruleLines = 0;
  for (let index = 0; index < shape.users; index++) {
    const u = userAt(shape, index);
    if (u.kind === 'admin' || u.kind === 'breakGlass') admins.push(u);
    await users.add(userRow(u));
    await registrations.add(registrationRow(shape, u));
    if (u.kind !== 'guest') await permissions.addAccount(u);
    if (!u.hasMailbox) {
      await messageRules.write(messageRulesLine(u, undefined));
      ruleLines++;
      continue;
    }
    const rules = rulesFor(shape, u, s);
    await messageRules.write(messageRulesLine(u, rules.graph));
    ruleLines++;
    for (const rule of rules.exchange) await exoRules.add(rule);
    await mailboxes.add(mailboxRow(u, s, access));
    await permissions.addMailbox(u);
    await cas.add(casRow(u, s));
  }
  const counts: Partial<Record<SourceId, number>> = {};
  counts['graph.users'] = await users.close();
  counts['graph.userRegistrationDetails'] = await registrations.close();
  counts['exo.mailbox'] = await mailboxes.close();
  counts['exo.casMailbox'] = await cas.close();
  counts['exo.inboxRule'] = await exoRules.close();
  await messageRules.close();
  counts['graph.messageRules'] = ruleLines;
  Object.assign(counts, await permissions.close());
  return { counts, admins };
}
