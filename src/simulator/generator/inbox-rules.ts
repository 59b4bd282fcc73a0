import type { JsonObject } from '../../model/json.js';
import { HIDDEN_RULE_ANNOTATION } from '../exchange-service.js';
import { seededRandom } from '../random.js';
import type { Scenarios } from './scenarios.js';
import { type GeneratedUser, mix, pick, type TenantShape, userAt } from './tenant-model.js';

function recipient(name: string, address: string): JsonObject {
  return { emailAddress: { name, address } };
}

/** Graph messageRules for one mailbox, and their Get-InboxRule form. */
export function rulesFor(
  shape: TenantShape,
  u: GeneratedUser,
  s: Scenarios,
): { graph: JsonObject[]; exchange: JsonObject[] } {
  const random = seededRandom(mix(shape.seed, u.index, 3));
  const graph: JsonObject[] = [];
  const exchange: JsonObject[] = [];
  const add = (name: string, conditions: JsonObject, actions: JsonObject, exo: JsonObject, hidden = false): void => {
    const id = Buffer.from(`${u.index}:${graph.length + exchange.length}`).toString('base64');
    const sequence = graph.length + 1;
    if (!hidden)
      graph.push({
        id,
        displayName: name,
        sequence,
        isEnabled: true,
        hasError: false,
        isReadOnly: false,
        conditions,
        actions,
      });
    exchange.push({
      Identity: `${u.alias}\\${mix(shape.seed, u.index, 30 + exchange.length)}`,
      Name: name,
      Enabled: true,
      Priority: sequence,
      MailboxOwnerId: u.displayName,
      MailboxUserPrincipalName: u.upn,
      ForwardTo: null,
      ForwardAsAttachmentTo: null,
      RedirectTo: null,
      DeleteMessage: false,
      MoveToFolder: null,
      MarkAsRead: false,
      StopProcessingRules: false,
      ...exo,
      ...(hidden ? { [HIDDEN_RULE_ANNOTATION]: true } : {}),
    });
  };
  if (random() < 0.08) {
    add(
      'Newsletters',
      { senderContains: ['newsletter'] },
      { moveToFolder: 'Newsletters', stopProcessingRules: false },
      { MoveToFolder: 'Newsletters' },
    );
  }
  if (random() < 0.03) {
    const colleague = userAt(shape, 1 + Math.floor(random() * (shape.users - 1)));
    if (colleague.mail !== null && colleague.kind === 'member') {
      add(
        'Cover while on leave',
        {},
        { forwardTo: [recipient(colleague.displayName, colleague.mail)] },
        { ForwardTo: [`"${colleague.displayName}" [SMTP:${colleague.mail}]`] },
      );
    }
  }
  if (s.forwarders.has(u.index)) {
    const address = `${u.givenName.toLowerCase()}.${u.surname.toLowerCase()}@${pick(random, ['gmail.example', 'protonmail.example', 'outlook.example'])}`;
    const which = u.index % 3;
    if (which === 0)
      add(
        'Forward to home',
        {},
        { forwardTo: [recipient(u.givenName, address)] },
        { ForwardTo: [`"${u.givenName}" [SMTP:${address}]`] },
      );
    else if (which === 1)
      add(
        'Copy',
        {},
        { redirectTo: [recipient(u.givenName, address)] },
        { RedirectTo: [`"${u.givenName}" [SMTP:${address}]`] },
      );
    else
      add(
        '.',
        {},
        { forwardAsAttachmentTo: [recipient('', address)] },
        { ForwardAsAttachmentTo: [`"${address}" [SMTP:${address}]`] },
      );
  }
  if (s.concealers.has(u.index)) {
    add(
      '..',
      { subjectContains: ['invoice', 'payment', 'wire'] },
      { moveToFolder: 'RSS Feeds', markAsRead: true, stopProcessingRules: true },
      { MoveToFolder: 'RSS Feeds', MarkAsRead: true, StopProcessingRules: true },
    );
    // A rule hidden from MAPI (and so from Graph): only Get-InboxRule -IncludeHidden shows it.
    add(
      '',
      { fromAddresses: [] },
      { delete: true },
      { DeleteMessage: true, Description: 'If the message: includes "security" in the subject, delete it' },
      true,
    );
  }
  return { graph, exchange };
}
