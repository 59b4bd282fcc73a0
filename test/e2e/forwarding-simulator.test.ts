import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { simulatorSession } from '../helpers/simulator-session.js';

const DEMO = 'demo/contoso-health';
const NOW = new Date('2026-11-27T06:00:00Z');
const CONTROLS = [
  'forwarding.inbox-rules',
  'forwarding.concealment-rules',
  'forwarding.mailbox',
  'forwarding.outbound-policy',
  'forwarding.remote-domains',
  'legacy-auth.smtp-auth',
];
const EXCHANGE_CONTROLS = [
  'forwarding.mailbox',
  'forwarding.outbound-policy',
  'forwarding.remote-domains',
  'legacy-auth.smtp-auth',
];
const SOURCES: SourceId[] = [
  'graph.domains',
  'graph.messageRules',
  'graph.mailFolders',
  'exo.mailbox',
  'exo.recipient',
  'exo.hostedOutboundSpamFilterPolicy',
  'exo.hostedOutboundSpamFilterRule',
  'exo.remoteDomain',
  'exo.transportConfig',
  'exo.casMailbox',
  'exo.inboxRule',
];

const session = simulatorSession(NOW);
const demoPolicy = session.demoPolicy;

function collectFrom(sim: RunningSimulator, exchangePageSize?: number): Promise<Snapshot> {
  return session.collect(sim, SOURCES, exchangePageSize !== undefined ? { exchangePageSize } : {});
}

const verdicts = (results: readonly Result[]) =>
  results
    .filter((r) => CONTROLS.includes(r.control))
    .map((r) => `${r.control} ${r.target} ${r.status}`)
    .sort();

describe('forwarding controls through the simulated tenant', () => {
  it('collects over InvokeCommand (paged) and $batch and gives the verdicts of the demo snapshot', async () => {
    const sim = await session.start();
    // Pages of 5 objects force Get-Mailbox and Get-CASMailbox to follow @odata.nextLink.
    const live = await collectFrom(sim, 5);
    for (const id of SOURCES) expect(live.status(id)?.status, id).toBe('ok');
    const folder = await readSnapshotFolder(DEMO, { now: new Date() });
    expect(live.data('exo.mailbox')).toHaveLength(folder.data('exo.mailbox').length);
    expect(sim.stats().requests.exchange).toBeGreaterThan(SOURCES.length);

    const policy = await demoPolicy();
    const options = { now: NOW, domains: [] };
    const fromSim = await evaluate(live, policy, options);
    const fromFolder = await evaluate(await readSnapshotFolder(DEMO, { now: new Date() }), policy, options);
    expect(verdicts(fromSim.results)).toEqual(verdicts(fromFolder.results));
    // One failing case of each control, and the user without a mailbox skipped and counted.
    for (const control of CONTROLS)
      expect(
        fromSim.results.some((r) => r.control === control && r.status === 'fail'),
        control,
      ).toBe(true);
    const sweep = fromSim.results.find((r) => r.control === 'forwarding.inbox-rules')?.evidence.sweep;
    const lines = (await readFile(`${DEMO}/graph/messageRules.jsonl`, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { status: number });
    expect(sweep).toMatchObject({ mailboxes: lines.filter((l) => l.status === 200).length });
    expect(Number((sweep as { noMailbox?: number } | undefined)?.noMailbox)).toBeGreaterThanOrEqual(1);
  });

  it('makes the Exchange controls not evaluable with the setup steps when Exchange.ManageAsApp is missing, and still runs the Graph ones', async () => {
    const sim = await session.start({ missingPermissions: ['Exchange.ManageAsApp'] });
    const live = await collectFrom(sim);
    const mailbox = live.status('exo.mailbox');
    expect(mailbox?.status).toBe('not_permitted');
    expect(mailbox?.status === 'not_permitted' ? mailbox.permission : '').toMatch(
      /Exchange\.ManageAsApp.*Office 365 Exchange Online.*Global Reader/s,
    );
    expect(live.status('graph.messageRules')?.status).toBe('ok');

    const result = await evaluate(live, await demoPolicy(), { now: NOW, domains: [] });
    for (const control of EXCHANGE_CONTROLS) {
      const outcome = result.controls.find((c) => c.control === control);
      expect(outcome?.status, control).toBe('not_evaluable');
      expect(outcome && 'reason' in outcome ? outcome.reason : '').toContain('Global Reader');
    }
    const inboxRules = result.results.filter((r) => r.control === 'forwarding.inbox-rules');
    expect(inboxRules.some((r) => r.status === 'fail')).toBe(true);
    // Hidden rules could not be read: the evidence says so instead of passing quietly.
    expect(inboxRules[0]?.evidence.sweep).toMatchObject({ hiddenRules: { read: false, reason: 'not_permitted' } });
  });
});
