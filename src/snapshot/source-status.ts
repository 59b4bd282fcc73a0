/** The Entra ID licences that gate some Graph sources. */
export type Licence = 'entra-id-p1' | 'entra-id-p2';

export const LICENCE_NAMES: Readonly<Record<Licence, string>> = {
  'entra-id-p1': 'Microsoft Entra ID P1',
  'entra-id-p2': 'Microsoft Entra ID P2',
};

/** What was read of a source before it was cut short, so a reviewer sees how far it got. */
export interface CoveredSpan {
  /** Records read (sign-in events, mailboxes, cmdlet objects). */
  readonly records: number;
  /** Pages read, for a paged source. */
  readonly pages?: number;
  /** Oldest and newest record time read (ISO 8601), for a time-ordered source (sign-ins). */
  readonly earliest?: string | null;
  readonly latest?: string | null;
}

/**
 * How collecting one source ended. Collectors record this and never decide compliance:
 * a control whose source is `failed` gets `error`, one whose source is `not_licensed` or
 * `not_permitted` gets `not_evaluable`.
 */
export type SourceStatus =
  | {
      readonly status: 'ok';
      readonly count?: number;
      readonly capturedAt?: string;
      /**
       * The Graph version the source was read from when it was not v1.0: the sign-in log read
       * from beta (`/beta/auditLogs/signIns`) carries `authenticationProtocol` and
       * `originalTransferMethod`, which v1.0 lacks. Absent means v1.0.
       */
      readonly graphApi?: 'beta';
      /**
       * The policy asked for the beta sign-in log and Graph refused it (what it answered): the
       * log was read from v1.0 instead, so only the detector that needs beta cannot be judged.
       */
      readonly betaRefused?: string;
    }
  | {
      readonly status: 'failed';
      readonly reason: string;
      /** For a source that failed part-way: what had been read. */
      readonly covered?: CoveredSpan;
      readonly capturedAt?: string;
    }
  | {
      readonly status: 'not_licensed';
      readonly licence: Licence;
      readonly reason: string;
      readonly capturedAt?: string;
    }
  | {
      readonly status: 'not_permitted';
      /** The exact permission or role to grant, e.g. `AuditLog.Read.All`. */
      readonly permission: string;
      readonly reason: string;
      readonly capturedAt?: string;
    };
