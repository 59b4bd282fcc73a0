import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';
import { runActionOnce } from '../helpers/action-run.js';
import { tempDir } from '../helpers/temp.js';

/*
 * The demo tenant audited by the Action for a public repository (`redact: auto`), three nights
 * in a row: the first opens the issues and the dashboard, the second sees one mailbox fixed and
 * one risk accepted (close comments), the third sees the mailbox forward again (a reopen comment).
 * Every byte the Action writes is collected: the step log, the job summary, the outputs, the
 * SARIF file, and every request body and path the fake GitHub received (issue titles, bodies,
 * comments, labels, the dashboard). None may hold a person of the demo tenant: the list comes
 * from the demo snapshot itself, not from a hand-picked sample.
 */

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const EMAIL = /[A-Za-z0-9._%+'#-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

interface Identities {
  readonly addresses: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
  readonly ips: ReadonlySet<string>;
}

/** Keys that mark an object as a person, mailbox or recipient (so its display name names someone). */
const PERSON_OBJECT = /principalname|smtpaddress|^mail$|^address$|^externalemailaddress$|^userid$/i;
/** Keys whose value is a person's name wherever they appear. */
const ALWAYS_NAMES = new Set(['userDisplayName', 'MailboxOwnerId']);
const NAME_KEYS = new Set([
  'displayName',
  'DisplayName',
  'name',
  'Name',
  'givenName',
  'surname',
  'FirstName',
  'LastName',
]);

/** Every person of the demo snapshot: addresses, display names, IP addresses, from the tenant's own files. */
async function demoIdentities(dir: string): Promise<Identities> {
  const addresses = new Set<string>();
  const names = new Set<string>();
  const ips = new Set<string>();
  const text = (v: string): void => {
    for (const m of v.matchAll(EMAIL)) addresses.add(m[0].toLowerCase());
    // An Exchange recipient string names its person before the address: "Lee" [SMTP:…].
    for (const m of v.matchAll(/"([^"]+)"\s*\[SMTP:/gi)) if (m[1]) names.add(m[1]);
  };
  const visit = (value: unknown): void => {
    if (typeof value === 'string') text(value);
    else if (Array.isArray(value)) for (const v of value) visit(v);
    else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      const person = Object.keys(object).some((k) => PERSON_OBJECT.test(k) && typeof object[k] === 'string');
      for (const [k, v] of Object.entries(object)) {
        if (typeof v === 'string' && v.trim() !== '') {
          if (k === 'ipAddress') ips.add(v);
          if (ALWAYS_NAMES.has(k) || (person && NAME_KEYS.has(k))) names.add(v.trim());
        }
        visit(v);
      }
    }
  };
  for (const family of ['graph', 'exchange']) {
    for (const file of await readdir(path.join(dir, family))) {
      const content = await readFile(path.join(dir, family, file), 'utf8');
      const docs = file.endsWith('.jsonl') ? content.split('\n').filter((l) => l.trim() !== '') : [content];
      for (const doc of docs) visit(JSON.parse(doc));
    }
  }
  return { addresses, names, ips };
}

/** Which identities a text holds: addresses in any case, names and IPs as whole words. */
function leaks(raw: string, ids: Identities, namesOf: ReadonlySet<string>): string[] {
  // What a reader sees: escapes undone, zero-width joiners gone.
  const text = raw
    .replace(/[\u200b-\u200d]/g, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const found: string[] = [];
  const lower = text.toLowerCase();
  for (const a of ids.addresses) if (lower.includes(a)) found.push(a);
  for (const ip of ids.ips)
    if (new RegExp(`(?<![\\d.:a-f])${ip.replace(/[.]/g, '\\.')}(?![\\d:a-f])`, 'i').test(text)) found.push(ip);
  for (const n of namesOf)
    if (new RegExp(`(?<![\\p{L}\\p{N}])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(text))
      found.push(n);
  return found;
}

describe('the Action on a public repository', () => {
  it('writes no UPN, e-mail address, display name or IP address of the demo tenant anywhere that leaves the runner', async () => {
    f = await startFakeGitHub({ private: false });
    const fake = f;
    const tenant = await tempDir('mailwarden-public-tenant-');
    await cp(DEMO_TENANT_DIR, tenant, { recursive: true });
    const ids = await demoIdentities(tenant);
    // The list is the tenant's, and large: the test is not about a sample.
    expect(ids.addresses.size).toBeGreaterThan(200);
    expect(ids.names.size).toBeGreaterThan(200);
    expect(ids.ips.size).toBeGreaterThan(100);
    // A one-word name is checked when it cannot be a word of our own prose: capitalised and 6 letters or more
    // ("Adele" and "Lee" are left to the two-word names they belong to; a mailbox called "records" is a word).
    const names = new Set([...ids.names].filter((n) => /\s/.test(n) || (n.length >= 6 && /^\p{Lu}/u.test(n))));

    const workspace = await tempDir('mailwarden-public-workspace-');
    const policy = path.join(workspace, 'policy.json');
    await cp(DEMO_POLICY_PATH, policy);
    const inputs = {
      snapshot: tenant,
      policy,
      'max-new-issues': '100',
      'fail-on': 'High',
      'github-token': 'test-token',
    };

    // Night 1: the demo as it is.
    const first = await runActionOnce(inputs, fake, { workspace });
    expect(first.outputs.result).toBe('fail');
    expect(first.exitCode).toBe(1);
    const report = JSON.parse(await readFile(path.join(workspace, 'mailwarden-report.json'), 'utf8')) as Report;
    const failing = report.results.filter((r) => r.status === 'fail');
    // The JSON evidence report stays complete: it names the people (it is the organisation's).
    expect(leaks(JSON.stringify(report), ids, names).length).toBeGreaterThan(50);
    const sarif1 = await readFile(path.join(workspace, 'mailwarden.sarif'), 'utf8');

    // Night 2: one mailbox stops forwarding, and the MFA gap is accepted in the policy.
    const mailboxes = path.join(tenant, 'exchange', 'Get-Mailbox.json');
    const original = await readFile(mailboxes, 'utf8');
    const parsed = JSON.parse(original) as { value: Record<string, unknown>[] };
    const forwarder = parsed.value.find((m) => typeof m.ForwardingSmtpAddress === 'string');
    if (!forwarder) throw new Error('the demo has no mailbox forwarding');
    forwarder.ForwardingSmtpAddress = null;
    await writeFile(mailboxes, JSON.stringify(parsed));
    const policyJson = JSON.parse(await readFile(policy, 'utf8')) as { exceptions?: unknown[] };
    policyJson.exceptions = [
      {
        control: 'mfa.registration',
        target: 'tenant',
        reason: 'Rollout of the authenticator app finishes next quarter; tracked weekly',
        approvedBy: 'CISO',
        expires: '2027-01-31',
      },
    ];
    await writeFile(policy, JSON.stringify(policyJson, null, 2));
    const second = await runActionOnce(inputs, fake, { workspace });

    // Night 3: the mailbox forwards again.
    await writeFile(mailboxes, original);
    const third = await runActionOnce(inputs, fake, { workspace });

    const issues = [...fake.issues.values()];
    const comments = issues.flatMap((i) => i.comments);
    // Every kind of write happened: issues, the dashboard, close comments (fixed and excepted), a reopen comment.
    expect(issues.length).toBeGreaterThanOrEqual(failing.length);
    expect(issues.some((i) => i.body?.startsWith('<!-- mailwarden:dashboard -->'))).toBe(true);
    expect(comments.some((c) => c.startsWith('Resolved:'))).toBe(true);
    expect(comments.some((c) => c.startsWith('Closed: the risk is accepted'))).toBe(true);
    expect(comments.some((c) => c.startsWith('Reopened:'))).toBe(true);

    const written: Record<string, string> = {
      'step log': [first, second, third].map((r) => r.log).join('\n'),
      'job summary': [first, second, third].map((r) => r.summary).join('\n'),
      outputs: [first, second, third].map((r) => r.outputFile).join('\n'),
      SARIF: `${sarif1}\n${await readFile(path.join(workspace, 'mailwarden.sarif'), 'utf8')}`,
      'GitHub requests': fake.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`).join('\n'),
      'issues as stored': issues.map((i) => [i.title, i.body ?? '', ...i.labels, ...i.comments].join('\n')).join('\n'),
    };
    for (const [where, text] of Object.entries(written)) {
      expect(text.length, where).toBeGreaterThan(0);
      expect(leaks(text, ids, names), where).toEqual([]);
    }
    // The log is the step's: grouped by stage, with the findings table and write progress.
    expect(first.log).toMatch(/^::group::Collect: \d+ data sources$/m);
    expect(first.log).toMatch(/^::group::GitHub issues \(on\)$/m);
    expect(first.log).toMatch(/^\d+ failing findings? at or above high \(fail-on\):$/m);
    expect(first.log).toMatch(/^1\/\d+ issues written: opened #1 /m);
    expect(first.log).toMatch(
      new RegExp(`^${failing.length}/${failing.length} issues written: opened #${failing.length} `, 'm'),
    );
    expect(first.log).toMatch(/^Redaction: on \(redact: auto, and contoso\/it-audit is public\)$/m);
    // Pseudonyms, not blanks: the redacted outputs still say who, stably.
    expect(written['job summary']).toMatch(/user-[0-9a-f]{10}/);
    expect(written['issues as stored']).toMatch(/person-[0-9a-f]{10}/);
  }, 240_000);

  it('the same night with redact: never names the people in every output (the check above can fail)', async () => {
    f = await startFakeGitHub({ private: false });
    const tenant = await tempDir('mailwarden-public-tenant-');
    await cp(DEMO_TENANT_DIR, tenant, { recursive: true });
    const ids = await demoIdentities(tenant);
    const names = new Set([...ids.names].filter((n) => /\s/.test(n)));
    const workspace = await tempDir('mailwarden-public-workspace-');
    const run = await runActionOnce(
      {
        snapshot: tenant,
        policy: DEMO_POLICY_PATH,
        'max-new-issues': '100',
        'github-token': 'test-token',
        redact: 'Never',
      },
      f,
      { workspace },
    );
    expect(run.log).toMatch(/^Redaction: off \(redact: never\)$/m);
    const issues = [...f.issues.values()].map((i) => `${i.title}\n${i.body ?? ''}`).join('\n');
    const sarif = await readFile(path.join(workspace, 'mailwarden.sarif'), 'utf8');
    for (const [where, text] of Object.entries({ log: run.log, summary: run.summary, sarif, issues }))
      expect(leaks(text, ids, names).length, where).toBeGreaterThan(0);
  }, 120_000);
});
