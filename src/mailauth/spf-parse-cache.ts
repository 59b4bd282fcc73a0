import { parseSpfRecord, type SpfParse } from './spf-record.js';

/**
 * Parsed SPF records by their text. Parsing is pure and its result is read-only, so a record
 * seen again (a shared include such as spf.protection.outlook.com, met by every domain of an
 * audit) is parsed once. Bounded: when full it starts over rather than grow without limit.
 */
const MAX_ENTRIES = 4096;
const parsed = new Map<string, SpfParse>();

export function parseSpfRecordCached(text: string): SpfParse {
  let result = parsed.get(text);
  if (result === undefined) {
    if (parsed.size >= MAX_ENTRIES) parsed.clear();
    result = parseSpfRecord(text);
    parsed.set(text, result);
  }
  return result;
}
