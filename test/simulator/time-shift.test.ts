import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { TimeShift } from '../../src/simulator/time-shift.js';
import { writeFixtureTenant } from './fixture-tenant.js';
import { graphGet, invokeCommand, token } from './sim-client.js';

const DEMO = 'demo/contoso-health';
const DAY = 86_400_000;

let sims: RunningSimulator[] = [];
afterEach(async () => {
  for (const sim of sims) await sim.close();
  sims = [];
});

async function serve(servedAt?: Date): Promise<RunningSimulator> {
  const sim = await startSimulator({ dir: DEMO, ...(servedAt ? { servedAt } : {}) });
  sims.push(sim);
  return sim;
}

async function capturedAt(): Promise<string> {
  return (JSON.parse(await readFile(`${DEMO}/manifest.json`, 'utf8')) as { capturedAt: string }).capturedAt;
}

/** Every page of a Graph collection, following nextLink. */
async function all(sim: RunningSimulator, bearer: string, path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const reply = await graphGet(sim, bearer, next);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    out.push(...(reply.body.value as Record<string, unknown>[]));
    next = reply.body['@odata.nextLink'] as string | undefined;
  }
  return out;
}

const odata = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

describe('TimeShift', () => {
  it('moves ISO 8601 date-times by whole seconds, keeping the fraction as written', () => {
    const shift = TimeShift.between('2026-11-27T06:00:00.000Z', new Date('2027-12-31T06:00:01.999Z'));
    expect(shift.ms).toBe(399 * DAY + 1000);
    expect(shift.text('2026-11-27T05:59:54.882Z')).toBe('2027-12-31T05:59:55.882Z');
    expect(shift.text('2026-11-27T05:59:54.8823456Z')).toBe('2027-12-31T05:59:55.8823456Z');
    expect(shift.text('2026-11-27T05:59:54Z')).toBe('2027-12-31T05:59:55Z');
    // An offset is read as such and written in UTC.
    expect(shift.text('2026-11-27T07:59:54+02:00')).toBe('2027-12-31T05:59:55Z');
    expect(shift.text('/Date(1764223200000)/')).toBe(`/Date(${1764223200000 + shift.ms})/`);
  });

  it('leaves everything that is not a date-time alone', () => {
    const shift = TimeShift.between('2026-11-27T06:00:00Z', new Date('2027-01-01T00:00:00Z'));
    for (const text of ['2026-11-27', '73.53.0.36', 'amara@contosohealth.example', '2026-11-27T05:59', 'none', ''])
      expect(shift.text(text)).toBe(text);
    expect(
      shift.value({ n: 3, b: true, x: null, list: ['2026-11-27T06:00:00Z', 'a'], deep: { t: '2026-11-27T06:00:00Z' } }),
    ).toEqual({ n: 3, b: true, x: null, list: ['2027-01-01T00:00:00Z', 'a'], deep: { t: '2027-01-01T00:00:00Z' } });
    expect(TimeShift.NONE.text('2026-11-27T05:59:54.882Z')).toBe('2026-11-27T05:59:54.882Z');
  });
});

describe('a snapshot folder served as of another time', () => {
  it('serves sign-ins, risk detections and registration times moved by servedAt − capturedAt, and filters in the moved time', async () => {
    const captured = Date.parse(await capturedAt());
    const later = new Date(captured + 400 * DAY);
    const [verbatim, shifted] = [await serve(), await serve(later)];
    expect(verbatim.servedAsOf).toBe(verbatim.capturedAt);
    expect(shifted.servedAsOf).toBe(later.toISOString());

    // The same look-back window, ending at each simulator's "now", holds the same events.
    const window = (end: number) =>
      `/auditLogs/signIns?$filter=createdDateTime ge ${odata(end - DAY)} and createdDateTime le ${odata(end)}&$top=1000`;
    const before = await all(verbatim, await token(verbatim), window(captured));
    const after = await all(shifted, await token(shifted), window(later.getTime()));
    expect(before.length).toBeGreaterThan(1000);
    expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
    for (const [i, event] of after.entries()) {
      expect(Date.parse(String(event.createdDateTime)) - Date.parse(String(before[i]?.createdDateTime))).toBe(
        400 * DAY,
      );
    }
    // The captured window itself is empty once the folder is served 400 days later.
    expect(await all(shifted, await token(shifted), window(captured))).toEqual([]);

    const detections = await all(shifted, await token(shifted), '/identityProtection/riskDetections?$top=500');
    const original = await all(verbatim, await token(verbatim), '/identityProtection/riskDetections?$top=500');
    expect(detections.length).toBeGreaterThan(0);
    expect(detections.map((d) => Date.parse(String(d.detectedDateTime)))).toEqual(
      original.map((d) => Date.parse(String(d.detectedDateTime)) + 400 * DAY),
    );
    const filtered = await all(
      shifted,
      await token(shifted),
      `/identityProtection/riskDetections?$filter=detectedDateTime ge ${odata(later.getTime() - 2 * DAY)}&$top=500`,
    );
    expect(filtered.length).toBe(detections.length);

    const registration = await all(
      shifted,
      await token(shifted),
      '/reports/authenticationMethods/userRegistrationDetails?$top=999',
    );
    const stamped = registration.filter((r) => typeof r.lastUpdatedDateTime === 'string');
    expect(stamped.length).toBeGreaterThan(0);
    for (const r of stamped) expect(Date.parse(String(r.lastUpdatedDateTime))).toBeGreaterThan(captured + 300 * DAY);
  });

  it('serves Exchange output and inbox-rule lines moved too, and DNS as recorded', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-shift-'));
    try {
      await writeFixtureTenant(dir, (data) => {
        const mailboxes = data.collections['exo.mailbox'] ?? [];
        const [first, ...rest] = mailboxes;
        if (first) data.collections['exo.mailbox'] = [{ ...first, WhenChanged: '2026-11-20T10:00:00Z' }, ...rest];
        const [mailbox] = data.messageRules;
        const body = mailbox?.body as { value?: Record<string, unknown>[] } | undefined;
        if (body?.value?.[0]) body.value[0]['@mailwarden.reviewedDateTime'] = '2026-11-26T06:00:00Z';
      });
      const sim = await startSimulator({ dir, servedAt: new Date('2026-12-27T06:00:00Z') });
      sims.push(sim);
      const exchange = await invokeCommand(sim, await token(sim, 'https://outlook.office365.com'), {
        CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { ResultSize: 'Unlimited' } },
      });
      expect(exchange.status, JSON.stringify(exchange.body)).toBe(200);
      const changed = (exchange.body.value as Record<string, unknown>[]).map((m) => m.WhenChanged).filter(Boolean);
      expect(changed).toEqual(['2026-12-20T10:00:00Z']);

      const bearer = await token(sim);
      const users = await all(sim, bearer, '/users?$top=999');
      const rules = await all(sim, bearer, `/users/${String(users[0]?.id)}/mailFolders/inbox/messageRules`);
      expect(rules.map((r) => r['@mailwarden.reviewedDateTime']).filter(Boolean)).toEqual(['2026-12-26T06:00:00Z']);

      const dns = await readFile(path.join(dir, 'dns/answers.json'), 'utf8');
      expect(dns).not.toContain('2026-12-');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
