import type { Manifest } from '../../src/snapshot/manifest.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';

/*
 * Small real inputs for the engine's steps (src/evaluate): a policy read by the real reader and a
 * manifest with the source statuses a test names. No step of the engine is replaced.
 */

export const UNIT_NOW = new Date('2026-11-27T12:00:00Z');

/** A policy with these controls (each `{ enabled: true }` unless given) and exceptions. */
export function unitPolicy(
  controls: Readonly<Record<string, Record<string, unknown>>>,
  exceptions: readonly Record<string, unknown>[] = [],
): Policy {
  const text = JSON.stringify({ id: 'unit', title: 'unit', version: '1', controls, exceptions });
  return parsePolicy(text, 'unit.json', UNIT_NOW).policy;
}

/** A tenant run's manifest (or a DNS-only one with `tenantId: null`) with these source statuses. */
export function unitManifest(
  sources: Partial<Record<SourceId, SourceStatus>>,
  extra: Partial<Omit<Manifest, 'sources'>> = {},
): Manifest {
  return {
    formatVersion: 1,
    tenantId: 'tenant-1',
    capturedAt: UNIT_NOW.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources,
    ...extra,
  };
}
