import { COUNTRY_CODES } from '../model/country-codes.js';
import type { FormatCheck } from '../model/json-schema.js';
import { parseCidr } from '../model/ip-address.js';

/**
 * Formats that control parameters use beyond JSON Schema's standard ones, checked when the
 * policy loads (the JSON Schema of the policy names them; editors that do not know them ignore
 * them). Each uses the code the checks use, so a value the policy accepts is one they can read.
 */
export const PARAMETER_FORMATS: Readonly<Record<string, FormatCheck>> = {
  /** An IPv4 or IPv6 CIDR block (`198.51.100.0/24`, `2001:db8::/48`), or one address. */
  cidr: (value) => parseCidr(value) !== undefined,
  /** An ISO 3166-1 alpha-2 country code, upper case, as Entra reports it. */
  'iso-3166-alpha-2': (value) => COUNTRY_CODES.has(value),
};
