/**
 * The identifier formats of the frameworks a policy may map a control to. A mapping in any
 * other format is a validation error, so that an auditor can look every citation up.
 */
export const FRAMEWORK_ID_PATTERNS = {
  /** CISA SCuBA policy IDs: `MS.AAD.3.2v2`, `MS.EXO.4.1v1`. */
  scuba: '^MS\\.[A-Z]+\\.[0-9]+\\.[0-9]+v[0-9]+$',
  /** CIS Microsoft 365 Foundations recommendation numbers: `5.2.2.1`. */
  cis: '^[0-9]+(\\.[0-9]+){1,4}$',
  /** HIPAA Security Rule sections of 45 CFR: `164.308(a)(1)(ii)(D)`, `164.312(d)`. */
  hipaa: '^164\\.[0-9]{3}(\\([a-zA-Z0-9]+\\))*$',
  /** NIST SP 800-53 rev. 5 controls and enhancements: `IA-2(1)`, `SI-4`. */
  nist: '^[A-Z]{2}-[0-9]+(\\([0-9]+\\))?$',
} as const;

export type Framework = keyof typeof FRAMEWORK_ID_PATTERNS;

export const FRAMEWORKS = Object.keys(FRAMEWORK_ID_PATTERNS) as Framework[];

export const FRAMEWORK_NAMES: Readonly<Record<Framework, string>> = {
  scuba: 'CISA SCuBA',
  cis: 'CIS Microsoft 365 Foundations',
  hipaa: 'HIPAA Security Rule (45 CFR)',
  nist: 'NIST SP 800-53 rev. 5',
};
