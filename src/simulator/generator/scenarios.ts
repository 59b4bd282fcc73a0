import { chosen, type GeneratedUser, type TenantShape } from './tenant-model.js';
import { STRONG_METHODS } from './vocabulary.js';

/** Whether a user registered a phishing-resistant method. */
export const hasStrongMethod = (u: GeneratedUser): boolean =>
  u.methods.some((m) => (STRONG_METHODS as readonly string[]).includes(m));

/** Tenant-wide scenario sets: small lists of user indices, the same for the same seed. */
export interface Scenarios {
  readonly legacy: readonly number[];
  readonly foreign: readonly number[];
  readonly travel: readonly number[];
  readonly sprayVictims: readonly number[];
  readonly fatigue: readonly number[];
  readonly risky: readonly number[];
  /** Users who signed in through the device-code flow from an attacker's network (device-code phishing). */
  readonly deviceCode: readonly number[];
  /** The account a meeting-room device signs in with, through the device-code flow (allowed by device). */
  readonly conferenceRoom: readonly number[];
  /** Members made eligible (PIM) for a privileged role: one without a phishing-resistant method, one with. */
  readonly eligibleWeak: readonly number[];
  readonly eligibleStrong: readonly number[];
  readonly forwarders: ReadonlySet<number>;
  readonly concealers: ReadonlySet<number>;
  readonly mailboxForwarders: ReadonlySet<number>;
  readonly smtpAuth: ReadonlySet<number>;
}

export function scenarios(shape: TenantShape): Scenarios {
  const active = (u: GeneratedUser): boolean => u.kind === 'member' && u.enabled;
  const mailbox = (u: GeneratedUser): boolean => u.kind === 'member' && u.hasMailbox;
  return {
    legacy: chosen(shape, 11, 0.0005, 2, 10, active),
    foreign: chosen(shape, 12, 0.0003, 2, 6, active),
    travel: chosen(shape, 13, 0.0002, 2, 5, active),
    sprayVictims: chosen(shape, 14, 0.002, 12, 40, active),
    fatigue: chosen(shape, 15, 0.0002, 2, 4, active),
    risky: chosen(shape, 16, 0.0005, 3, 30, active),
    deviceCode: chosen(shape, 21, 0.0002, 2, 5, active),
    conferenceRoom: chosen(shape, 22, 0, 1, 1, active),
    eligibleWeak: chosen(shape, 23, 0, 1, 1, (u) => active(u) && !hasStrongMethod(u)),
    eligibleStrong: chosen(shape, 24, 0, 1, 1, (u) => active(u) && hasStrongMethod(u)),
    forwarders: new Set(chosen(shape, 17, 0.002, 3, 200, mailbox)),
    concealers: new Set(chosen(shape, 18, 0.001, 2, 100, mailbox)),
    mailboxForwarders: new Set(chosen(shape, 19, 0.001, 2, 100, mailbox)),
    smtpAuth: new Set(chosen(shape, 20, 0.002, 2, 100, mailbox)),
  };
}
