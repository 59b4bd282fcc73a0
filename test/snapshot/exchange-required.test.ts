import { describe, expect, it } from 'vitest';
import { recordCheck } from '../../src/snapshot/shape-check.js';
import type { SourceId } from '../../src/snapshot/source-id.js';

/**
 * The Exchange properties a verdict rests on are required in a snapshot record: a record without
 * one is a problem named by its pointer, never read as "not set" (docs/snapshot-format.md).
 */
const REQUIRED: ReadonlyArray<{ id: SourceId; record: Record<string, unknown>; property: string }> = [
  {
    id: 'exo.mailbox',
    record: { Identity: 'ada', ForwardingAddress: null, ForwardingSmtpAddress: null },
    property: 'ForwardingSmtpAddress',
  },
  {
    id: 'exo.mailbox',
    record: { Identity: 'ada', ForwardingAddress: null, ForwardingSmtpAddress: null },
    property: 'ForwardingAddress',
  },
  {
    id: 'exo.casMailbox',
    record: { Identity: 'ada', SmtpClientAuthenticationDisabled: null },
    property: 'SmtpClientAuthenticationDisabled',
  },
  { id: 'exo.hostedOutboundSpamFilterPolicy', record: { Identity: 'Default', IsDefault: true }, property: 'IsDefault' },
  {
    id: 'exo.inboxRule',
    record: { MailboxUserPrincipalName: 'ada@contoso.com', MailboxOwnerId: 'Ada', Name: 'x' },
    property: 'MailboxUserPrincipalName',
  },
];

describe('required Exchange properties', () => {
  for (const { id, record, property } of REQUIRED) {
    it(`${id} without ${property} is named as missing; with it the record fits`, () => {
      const check = recordCheck(id);
      expect(check(record)).toBeUndefined();
      const { [property]: _dropped, ...without } = record;
      expect(check(without)).toEqual({ pointer: `/${property}`, message: 'is missing' });
    });
  }
});
