import type { DnsResolver } from '../../src/snapshot/dns-resolver.js';
import type { DnsAnswer, DnsRecord, DnsRcode } from '../../src/snapshot/dns-types.js';
import { normaliseName } from '../../src/model/domain-name.js';

/** A record in a test zone: TXT as strings, MX as {preference, exchange}, others as text. */
export type ZoneRecord = DnsRecord['data'];

/** name → type → records, or a failure code for that name/type (or `*` for every type). */
export interface MemoryZone {
  [name: string]: { [type: string]: readonly ZoneRecord[] | DnsRcode };
}

/**
 * An in-memory resolver for unit tests: absent name → NXDOMAIN, name without the type → NODATA,
 * a code instead of records → that code; a code under `*` → that code for every type without records. CNAMEs are followed as a recursive resolver would.
 */
export function memoryResolver(zone: MemoryZone, log?: string[]): DnsResolver {
  const byName = new Map(Object.entries(zone).map(([name, types]) => [normaliseName(name), types]));
  return {
    resolve(name: string, type: string): Promise<DnsAnswer> {
      log?.push(`${normaliseName(name)}/${type}`);
      const records: DnsRecord[] = [];
      let current = normaliseName(name);
      for (let step = 0; step < 10; step++) {
        const types = byName.get(current);
        if (!types) return Promise.resolve({ rcode: 'NXDOMAIN', records });
        const own = types[type];
        if (typeof own === 'string') return Promise.resolve({ rcode: own, records: [] });
        if (own && own.length > 0) {
          for (const data of own) records.push({ name: current, type, ttl: 300, data });
          return Promise.resolve({ rcode: 'NOERROR', records });
        }
        const cname = types.CNAME;
        if (Array.isArray(cname) && typeof cname[0] === 'string' && type !== 'CNAME') {
          records.push({ name: current, type: 'CNAME', ttl: 300, data: cname[0] });
          current = normaliseName(cname[0]);
          continue;
        }
        // A failure code for `*` applies to every type the name has no records of.
        const all = types['*'];
        if (typeof all === 'string') return Promise.resolve({ rcode: all, records: [] });
        return Promise.resolve({ rcode: 'NOERROR', records });
      }
      return Promise.resolve({ rcode: 'SERVFAIL', records: [] });
    },
  };
}
