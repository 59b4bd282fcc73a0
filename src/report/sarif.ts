import path from 'node:path';
import { findControl } from '../controls/catalog.js';
import type { Severity } from '../model/severity.js';
import type { Policy } from '../policy/policy.js';
import type { PublicReport } from './disclosure.js';

/**
 * SARIF 2.1.0 for GitHub code scanning. GitHub rejects the whole upload when one result lacks a
 * physical location, so every finding is anchored to the policy file at its control's line
 * (codeql-action #1738). `partialFingerprints` carries our own stable key, so editing the policy
 * file does not churn alerts.
 */

/** GitHub maps `security-severity` to critical (≥ 9.0), high (≥ 7.0), medium (≥ 4.0) and low. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  low: '3.0',
  medium: '5.5',
  high: '8.0',
  critical: '9.5',
};

const LEVEL: Readonly<Record<Severity, 'note' | 'warning' | 'error'>> = {
  low: 'note',
  medium: 'warning',
  high: 'error',
  critical: 'error',
};

export const SARIF_FINGERPRINT_KEY = 'mailwardenFinding/v1';

/** The policy path as a repository-relative URI (forward slashes), or a file URI outside `baseDir`. */
export function policyUri(policyPath: string, baseDir: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(baseDir, path.resolve(baseDir, policyPath));
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: new URL(`file://${path.resolve(baseDir, policyPath)}`).href };
}

/**
 * Renders the SARIF log: one rule per control that failed, one result per failing finding, from
 * the report as it may be shown (messages and properties redacted when redaction applies).
 * Locations are relative to the checkout (`%SRCROOT%`); with the bundled policy they name the
 * file `mailwarden init` writes, whose lines are the bundled file's.
 */
export function renderSarif(report: PublicReport, policy: Policy, baseDir: string): object {
  const failing = report.results.filter((r) => r.status === 'fail');
  const ruleIds = [...new Set(failing.map((r) => r.control))].sort();
  const location = report.policy.bundled
    ? { uri: report.policy.path, uriBaseId: '%SRCROOT%' }
    : policyUri(policy.path, baseDir);
  const rules = ruleIds.map((id) => {
    const control = findControl(id);
    const severity = policy.controls.get(id)?.severity ?? control?.defaultSeverity ?? 'medium';
    const refs = control?.references ?? {};
    const tags = [
      'security',
      `area:${control?.area ?? 'unknown'}`,
      ...(refs.hipaa ?? []).map((h) => `HIPAA ${h}`),
    ].slice(0, 20);
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()),
      shortDescription: { text: control?.title ?? id },
      fullDescription: { text: control?.statement ?? id },
      help: {
        text: `${control?.rationale ?? ''}\n\nHow to fix: ${control?.remediation ?? ''}`.trim(),
        markdown: `${control?.rationale ?? ''}\n\n**How to fix:** ${control?.remediation ?? ''}`.trim(),
      },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { tags, 'security-severity': SECURITY_SEVERITY[severity], precision: 'high' },
    };
  });
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const results = failing.map((r) => ({
    ruleId: r.control,
    ruleIndex: ruleIndex.get(r.control) ?? 0,
    level: LEVEL[r.severity],
    message: { text: `${r.target}: ${r.message}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: location,
          region: { startLine: Math.max(1, policy.controls.get(r.control)?.line ?? 1) },
        },
      },
    ],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: r.fingerprint },
    properties: {
      target: r.target,
      area: r.area,
      severity: r.severity,
      'security-severity': SECURITY_SEVERITY[r.severity],
    },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules,
          },
        },
        ...(location.uriBaseId
          ? { originalUriBaseIds: { '%SRCROOT%': { uri: `${new URL(`file://${path.resolve(baseDir)}/`).href}` } } }
          : {}),
        automationDetails: { id: `mailwarden/${report.policy.id}/` },
        results,
      },
    ],
  };
}
