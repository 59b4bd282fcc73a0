import type { JsonObject } from '../../model/json.js';
import type { EventPage } from './event-page.js';
import type { TextCache } from './structures/text-cache.js';
import { insertAt } from './structures/insert-at.js';

/** One sign-in as shown in a finding: time, IP, country, city, app, client, result, error code. */
export interface SignInRow extends JsonObject {
  readonly time: string;
  readonly user: string;
  readonly ip: string | null;
  readonly country: string | null;
  readonly city: string | null;
  readonly app: string | null;
  readonly client: string | null;
  readonly result: 'success' | 'failure';
  readonly errorCode: number;
}

/**
 * The fields of a row, copied out of the raw record so the record can be collected; the date
 * text is only made when the row is shown.
 */
export interface RowFields {
  readonly time: number;
  readonly user: string;
  readonly ip: string | null;
  readonly country: string | null;
  readonly city: string | null;
  readonly app: string | null;
  readonly client: string | null;
  readonly errorCode: number;
}

function text(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The row fields of event `i` of a page; `texts` shares repeated texts between rows kept long. */
export function rowFields(page: EventPage, i: number, texts?: TextCache): RowFields {
  const raw = page.raw[i];
  const location = raw?.location;
  return {
    time: page.time[i] ?? 0,
    user: page.userName(i),
    ip: text(raw?.ipAddress),
    country: texts ? texts.get(location?.countryOrRegion) : text(location?.countryOrRegion),
    city: texts ? texts.get(location?.city) : text(location?.city),
    app: texts ? texts.get(raw?.appDisplayName) : text(raw?.appDisplayName),
    client: texts ? texts.get(raw?.clientAppUsed) : text(raw?.clientAppUsed),
    errorCode: page.errorCode[i] ?? 0,
  };
}

export function toRow(fields: RowFields): SignInRow {
  return {
    time: new Date(fields.time).toISOString(),
    user: fields.user,
    ip: fields.ip,
    country: fields.country,
    city: fields.city,
    app: fields.app,
    client: fields.client,
    result: fields.errorCode === 0 ? 'success' : 'failure',
    errorCode: fields.errorCode,
  };
}

/** Evidence rows per finding; reports show this many and the total. */
export const ROW_CAP = 20;

/**
 * The newest `limit` rows by time, plus the total seen. Keeping the newest (not the first to
 * arrive) makes the evidence the same whatever order the pages came in.
 */
export class RowSample {
  private rows: RowFields[] = [];
  total = 0;

  constructor(private readonly limit = ROW_CAP) {}

  add(page: EventPage, i: number): void {
    this.total++;
    const time = page.time[i] ?? 0;
    if (this.full(time)) return;
    this.insert(rowFields(page, i));
  }

  /** `add` for a row whose fields were kept elsewhere (failure-pairs.ts). */
  addFields(fields: RowFields): void {
    this.total++;
    if (this.full(fields.time)) return;
    this.insert(fields);
  }

  private full(time: number): boolean {
    // Newest first.
    const rows = this.rows;
    return rows.length === this.limit && time <= (rows[rows.length - 1]?.time ?? -Infinity);
  }

  private insert(fields: RowFields): void {
    const rows = this.rows;
    let at = rows.length;
    while (at > 0 && (rows[at - 1]?.time ?? 0) < fields.time) at--;
    this.rows = insertAt(rows, at, fields);
    if (this.rows.length > this.limit) this.rows.pop();
  }

  /** `{ items, total }` in the shape of src/model/cap.ts, oldest first. */
  toJson(): { items: SignInRow[]; total: number } {
    return { items: this.rows.map(toRow).reverse(), total: this.total };
  }
}
