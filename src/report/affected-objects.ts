import { createHmac } from 'node:crypto';
import type { Json, JsonObject } from '../model/json.js';

const IDENTITY_KEYS = [
  'upn',
  'userPrincipalName',
  'id',
  'target',
  'address',
  'identity',
  'ruleId',
  'domain',
  'ip',
  'name',
];

/**
 * Keys of the objects a finding is about, hashed, so a new affected object is detectable. Taken
 * from the evidence before redaction, so the hashes an issue's state marker holds stay the same
 * whether or not a run redacts. Keyed (HMAC-SHA-256 with the pseudonym key): a plain hash of a
 * UPN in a public issue could be reversed by hashing a list of guessed addresses.
 */
export function affectedObjects(control: string, evidence: JsonObject, key: string): string[] {
  const keys = new Set<string>();
  const visit = (value: Json): void => {
    if (Array.isArray(value)) {
      for (const item of value as readonly Json[]) {
        if (typeof item === 'string' || typeof item === 'number') keys.add(String(item));
        else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          const obj = item as JsonObject;
          const id = IDENTITY_KEYS.map((k) => obj[k]).find((v) => typeof v === 'string' || typeof v === 'number');
          keys.add(id !== undefined ? String(id) : JSON.stringify(obj));
        }
      }
    } else if (value !== null && typeof value === 'object') {
      for (const v of Object.values(value as JsonObject)) visit(v);
    }
  };
  visit(evidence);
  return [...keys]
    .map((k) => createHmac('sha256', key).update(`${control}\n${k.toLowerCase()}`).digest('hex').slice(0, 12))
    .sort();
}
