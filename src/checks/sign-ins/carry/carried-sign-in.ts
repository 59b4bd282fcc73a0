import type { SignIn } from '../../../snapshot/graph-types.js';
import type { EventPage } from '../event-page.js';
import type { RowFields } from '../evidence-rows.js';

/** What a carried sign-in holds besides an evidence row's fields. */
export interface CarriedExtras {
  /** `location.geoCoordinates`, for the travel detector. */
  readonly lat?: number;
  readonly lon?: number;
  /** The directory object ID, for detectors that match accounts by it. */
  readonly userId?: string | null;
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

/** Event `i` of a page as a carried sign-in, with the row fields and the given extras. */
export function carriedEvent(page: EventPage, i: number, fields: RowFields, withCoordinates = false): SignIn {
  const geo = withCoordinates ? page.raw[i]?.location?.geoCoordinates : undefined;
  const lat = geo?.latitude;
  const lon = geo?.longitude;
  return carriedSignIn(fields, {
    ...(typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : {}),
  });
}
