import type { SignIn } from '../../../snapshot/graph-types.js';
import type { RowFields } from '../evidence-rows.js';

/** What a carried sign-in holds besides an evidence row's fields. */
export interface CarriedExtras {
  /** `location.geoCoordinates`, for the travel detector. */
  readonly lat?: number;
  readonly lon?: number;
  /** The directory object ID, for detectors that match accounts by it. */
  readonly userId?: string | null;
  /** The beta log's flow fields, the app ID and the device, for the device-code detector. */
  readonly flow?: {
    readonly authenticationProtocol: string | null;
    readonly originalTransferMethod: string | null;
    readonly appId: string | null;
    readonly deviceDetail: {
      readonly deviceId: string | null;
      readonly displayName: string | null;
      readonly operatingSystem: string | null;
    } | null;
  };
}

/**
 * A carried event in Graph's shape (the `$select` of sign-in-collectors.ts), holding the fields of
 * an evidence row: when it is read back, every detector reads the same values it read the first
 * time. `user` is the pass's user key (the lower-case UPN, or the object ID), given as the UPN.
 * Carried events have no ID: they are older than anything the next run reads, so no duplicate of
 * one can reach it (the overlap is read again in full, never carried).
 */
export function carriedSignIn(fields: RowFields, extras: CarriedExtras = {}): SignIn {
  const hasCoordinates = extras.lat !== undefined && extras.lon !== undefined;
  const located = fields.country !== null || fields.city !== null || hasCoordinates;
  return {
    id: '',
    createdDateTime: new Date(fields.time).toISOString(),
    userPrincipalName: fields.user,
    ...(extras.userId !== undefined ? { userId: extras.userId } : {}),
    ...(extras.flow ?? {}),
    appDisplayName: fields.app,
    clientAppUsed: fields.client,
    ipAddress: fields.ip,
    status: { errorCode: fields.errorCode },
    location: located
      ? {
          city: fields.city,
          countryOrRegion: fields.country,
          ...(hasCoordinates ? { geoCoordinates: { latitude: extras.lat, longitude: extras.lon } } : {}),
        }
      : null,
  };
}
