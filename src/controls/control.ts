import type { Area } from '../model/area.js';
import type { JsonObject } from '../model/json.js';
import type { Severity } from '../model/severity.js';
import type { SourceId } from '../snapshot/source-id.js';

/** Framework references. Each list holds the framework's own identifiers. */
export interface ControlReferences {
  /** CISA SCuBA baseline policy IDs, e.g. `MS.AAD.3.2v2`. */
  readonly scuba?: readonly string[];
  /** CIS Microsoft 365 Foundations benchmark recommendation numbers, e.g. `5.2.2.1`. */
  readonly cis?: readonly string[];
  /** HIPAA Security Rule sections (45 CFR), e.g. `164.312(d)`. */
  readonly hipaa?: readonly string[];
  /** NIST SP 800-53 rev. 5 controls, e.g. `IA-2(1)`. */
  readonly nist?: readonly string[];
}

/**
 * The DNS look-ups of a domain control, by name: `src/mailauth/dns-questions.ts` runs each name's
 * questions, live for the collector, over recorded answers for the check, and over a folder's data
 * for the tenant generator.
 */
export type DnsLookupName =
  | 'spf'
  | 'm365-authorization'
  | 'dkim-keys'
  | 'dmarc'
  | 'dmarc-reporting'
  | 'parked'
  | 'mta-sts'
  | 'tls-rpt'
  | 'microsoft-dkim-cnames';

/**
 * Which domains a DNS control asks about. The initial domain's DNS (*.onmicrosoft.com and the
 * national clouds' equivalents) is
 * Microsoft's (no SPF, MTA-STS or TLS-RPT to judge), and parked domains send and receive no mail.
 */
export type DomainScope =
  /** Every audited domain. */
  | 'all'
  /** Audited domains not listed as parked. */
  | 'not-parked'
  /** Audited domains whose DNS the tenant manages (not the initial domain, not *.onmicrosoft.com, .us, onmschina.cn). */
  | 'own-dns'
  /** Audited domains whose DNS the tenant manages and that are not parked. */
  | 'own-dns-not-parked'
  /** Parked domains only. */
  | 'parked'
  /** The tenant's verified email domains Exchange signs for, but the initial one, minus the policy's exclusions. */
  | 'exchange-signed';

/** What a domain control asks DNS: one look-up, for each domain of its scope. */
export interface DnsQuestions {
  readonly lookup: DnsLookupName;
  readonly domains: DomainScope;
  /**
   * For a scope that leaves out Microsoft-managed domains (the tenant's initial `*.onmicrosoft.com`
   * domain and its national-cloud equivalents): why the admin cannot act on them. Each such domain
   * then gets a `pass` saying it is managed by Microsoft, instead of no result.
   */
  readonly microsoftManaged?: string;
}

/**
 * What a control's targets are and which sources decide which of them exist. A verdict source
 * (`sources`) decides how a target is judged; a target source decides whether it is seen at
 * all. When a target source was not read in full, a target missing from the results may still
 * be there, so the control cannot say "target X is gone" and closes no issue.
 */
export interface ControlTargets {
  /**
   * `domain`: DNS names, the same whoever audits them, so a finding's fingerprint leaves the
   * tenant out and a DNS-only run agrees with a tenant run on it. `tenant`: objects of one
   * tenant (the tenant itself, users, mailboxes, rules, policies, sources of sign-ins).
   */
  readonly kind: 'domain' | 'tenant';
  /**
   * The sources whose data decide WHICH targets the control judges: the mailboxes, rules,
   * holders or domains it lists. Empty for a control with the single fixed target `tenant`. A
   * DNS-only run ignores the tenant sources here: its targets are the domains it was given.
   */
  readonly sources: readonly SourceId[];
}

/** One tunable setting of a control: a JSON Schema with an auditor-readable description and a default. */
export interface ParameterDefinition {
  /** JSON Schema of the value; must carry `description` and `default`. */
  readonly schema: JsonObject & { readonly description: string; readonly default: unknown };
}

/**
 * A control is a document first: what is required (one SHALL/SHOULD sentence), why, how to
 * fix it and which framework requirements it serves. Its ID never changes meaning; when the
 * statement changes, `version` goes up and docs/control-migrations.md records why.
 */
export interface ControlDefinition {
  /** Fixed, lower-case, dotted ID, e.g. `mfa.registration`. */
  readonly id: string;
  readonly version: number;
  readonly area: Area;
  readonly title: string;
  /** One normative sentence using SHALL or SHOULD (RFC 2119). */
  readonly statement: string;
  readonly rationale: string;
  readonly defaultSeverity: Severity;
  /** The data sources the check reads; if one is not `ok` the control is not judged. */
  readonly sources: readonly SourceId[];
  /**
   * Sources collected when the control is on and read when they are `ok`, but whose failure
   * does not stop the control (the check says in its evidence what it could not cover).
   */
  readonly optionalSources?: readonly SourceId[];
  /** What the targets are, and the sources that decide which exist (see ControlTargets). */
  readonly targets: ControlTargets;
  /** For a control that reads `dns`: the questions the collector asks and the check reads back. */
  readonly dns?: DnsQuestions;
  /**
   * The evidence field (a percentage) the issues dashboard charts day by day, for the one control
   * whose coverage is worth a trend line.
   */
  readonly dashboardTrend?: string;
  readonly parameters: Readonly<Record<string, ParameterDefinition>>;
  readonly references: ControlReferences;
  /** Concrete steps: admin-centre path, PowerShell or Graph command, or DNS record. */
  readonly remediation: string;
  /**
   * A DNS record that fixes a failing domain target, `{domain}` standing for the target. The
   * issue shows it ready to paste when the check's evidence proposes no record of its own.
   */
  readonly remediationRecord?: string;
  /** What the control cannot see, stated plainly for auditors. */
  readonly limitations: string;
  /** Whether the baseline turns it on; stricter policies may enable the others. */
  readonly enabledByDefault: boolean;
}
