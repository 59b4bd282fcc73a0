import type { Finding } from '../../../model/finding.js';
import { TENANT_TARGET } from '../../../model/finding.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../../check.js';
import { cleanFinding, detectorFold, type ScanSummary } from '../detector-fold.js';
import type { EventPage } from '../event-page.js';
import { RowSample, rowFields } from '../evidence-rows.js';
import { carriedSignIn } from '../carry/carried-sign-in.js';
import { countryCode, countryCodeOf, countryText } from '../sign-in-event.js';

interface CountryUser {
  readonly rows: RowSample;
  readonly countries: Map<string, number>;
}

/** `sign-ins.countries`: successful sign-ins from countries outside the policy's list. */
export function countriesFold(input: CheckInput): Fold<SignIn> {
  const allowed = new Set(input.params.strings('allowedCountries').map((c) => c.toUpperCase()));
  // The same list as numbers (see countryCodeOf), so an allowed sign-in makes no string.
  const allowedCodes = new Set<number>();
  for (const country of allowed) {
    const code = countryCode(country);
    if (code !== -1) allowedCodes.add(code);
  }
  const users = new Map<number, CountryUser>();
  // An incremental run carries every success from a country outside the list: each one counts.
  const carried: SignIn[] = [];

  return detectorFold(input, (pass, mode) => ({
    add(page: EventPage, i: number) {
      // Failed attempts from abroad are the password-spray detector's business.
      if (page.errorCode[i] !== 0 || allowed.size === 0) return undefined;
      const code = countryCodeOf(page.raw[i] as SignIn);
      if (code === -1) return 'noLocation';
      if (allowedCodes.has(code)) return undefined;
      const user = page.user[i] ?? 0;
      let state = users.get(user);
      if (!state) {
        state = { rows: new RowSample(), countries: new Map() };
        users.set(user, state);
      }
      state.rows.add(page, i);
      if (mode.carrying) carried.push(carriedSignIn(rowFields(page, i)));
      const country = countryText(code);
      state.countries.set(country, (state.countries.get(country) ?? 0) + 1);
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      if (allowed.size === 0) {
        // An empty list would flag every sign-in; the organisation has to say where it works.
        return [
          {
            target: TENANT_TARGET,
            status: 'not_evaluable',
            message: 'Set allowedCountries in the policy (ISO 3166-1 alpha-2 codes) to judge sign-in countries.',
            evidence: { reason: 'no allowed countries configured', parameter: 'allowedCountries', scan },
          },
        ];
      }
      const findings: Finding[] = [];
      for (const [number, state] of users) {
        const user = pass.userName(number);
        const countries = Object.fromEntries([...state.countries].sort(([a], [b]) => (a < b ? -1 : 1)));
        const signIns = state.rows.toJson();
        const ips = [...new Set(signIns.items.map((r) => r.ip ?? ''))].filter((ip) => ip !== '').sort();
        const apps = [...new Set(signIns.items.map((r) => r.app ?? ''))].filter((a) => a !== '').sort();
        findings.push({
          target: user,
          status: 'fail',
          message: `${signIns.total} successful sign-in(s) from ${Object.keys(countries).join(', ')}, outside the allowed countries.`,
          evidence: { user, countries, ips, apps, signIns, allowedCountries: [...allowed].sort(), scan },
        });
      }
      if (findings.length > 0) return findings;
      return [
        cleanFinding('No successful sign-in from a country outside the allowed list', scan, {
          allowedCountries: [...allowed].sort(),
        }),
      ];
    },
    carry: () => carried,
  }));
}
