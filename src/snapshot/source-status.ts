/** The Entra ID licences that gate some Graph sources. */
export type Licence = 'entra-id-p1' | 'entra-id-p2';

export const LICENCE_NAMES: Readonly<Record<Licence, string>> = {
  'entra-id-p1': 'Microsoft Entra ID P1',
  'entra-id-p2': 'Microsoft Entra ID P2',
};

/**
 * How collecting one source ended. Collectors record this and never decide compliance:
 * a control whose source is `failed` gets `error`, one whose source is `not_licensed` or
 * `not_permitted` gets `not_evaluable`.
 */
export type SourceStatus =
  | { readonly status: 'ok'; readonly count?: number; readonly capturedAt?: string }
  | { readonly status: 'failed'; readonly reason: string; readonly capturedAt?: string }
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
