import { readFileSync } from 'node:fs';
import type { CheckInput, Fold } from '../../src/checks/check.js';
import { forwardingChecks } from '../../src/checks/forwarding/forwarding.js';
import { ControlParams } from '../../src/controls/params.js';
import type { Finding } from '../../src/model/finding.js';
import type { JsonObject } from '../../src/model/json.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { MailboxMessageRules } from '../../src/snapshot/graph-types.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import { memorySnapshot, type SourceDataMap } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';

/*
 * Direct calls of the forwarding checks on a hand-built snapshot, so a test sees the exact
 * findings a check returns (a check that throws fails the test instead of becoming an error
 * result of the engine).
 */

export const FORWARDING_NOW = new Date('2026-11-27T06:00:00Z');

export type ForwardingData = Partial<{ [K in SourceId]: SourceDataMap[K] }>;

/** The parameters the forwarding controls read, empty unless given. */
const DEFAULT_PARAMS: JsonObject = {
  partnerDomains: [],
  triggerWords: [],
  securityTeamSenders: [],
  allowedForwardingSenders: [],
};

/**
 * A check input over `data`: every source given is `ok` unless `statuses` says otherwise; a
 * source neither given nor in `statuses` was not collected.
 */
export function forwardingInput(
  data: ForwardingData,
  params: JsonObject = {},
  statuses: Partial<Record<SourceId, SourceStatus>> = {},
): CheckInput {
  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  for (const id of Object.keys(data) as SourceId[]) sources[id] = { status: 'ok' };
  Object.assign(sources, statuses);
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: 'tenant-1',
    capturedAt: FORWARDING_NOW.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources,
  };
  const { policy } = parsePolicy(readFileSync('policies/baseline.json', 'utf8'), 'baseline.json', FORWARDING_NOW);
  return {
    snapshot: memorySnapshot(manifest, data),
    params: new ControlParams({ ...DEFAULT_PARAMS, ...params }),
    context: {
      now: FORWARDING_NOW,
      tenantId: 'tenant-1',
      cloud: 'global',
      clientId: null,
      policy,
      domains: [],
      exceptions: [],
    },
  };
}

/** Runs a stream control (inbox rules, concealment) over `pages` of mailbox rule answers. */
export function sweep(
  control: 'forwarding.inbox-rules' | 'forwarding.concealment-rules',
  input: CheckInput,
  pages: readonly (readonly MailboxMessageRules[])[],
): { findings: readonly Finding[]; fold: Fold<MailboxMessageRules> } {
  const check = forwardingChecks[control];
  if (check?.kind !== 'stream' || check.stream !== 'graph.messageRules')
    throw new Error(`${control} is not a rule sweep`);
  const fold = check.start(input);
  for (const page of pages) fold.add(page);
  return { findings: fold.finish(), fold };
}

/** Runs a snapshot control of the forwarding family. */
export function evaluateForwarding(control: string, input: CheckInput): readonly Finding[] {
  const check = forwardingChecks[control];
  if (check?.kind !== 'snapshot') throw new Error(`${control} is not a snapshot check`);
  const findings = check.evaluate(input);
  if (findings instanceof Promise) throw new Error(`${control} is asynchronous`);
  return findings;
}
