import { chosen, type GeneratedUser, type TenantShape } from './tenant-model.js';

/** Tenant-wide scenario sets: small lists of user indices, the same for the same seed. */
export interface Scenarios {
  readonly legacy: readonly number[];
  readonly foreign: readonly number[];
  readonly travel: readonly number[];
  readonly sprayVictims: readonly number[];
  readonly fatigue: readonly number[];
  readonly risky: readonly number[];
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
    forwarders: new Set(chosen(shape, 17, 0.002, 3, 200, mailbox)),
    concealers: new Set(chosen(shape, 18, 0.001, 2, 100, mailbox)),
    mailboxForwarders: new Set(chosen(shape, 19, 0.001, 2, 100, mailbox)),
    smtpAuth: new Set(chosen(shape, 20, 0.002, 2, 100, mailbox)),
  };
}
