import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';
import { runActionOnce } from '../helpers/action-run.js';
import {
  allElements,
  type HtmlElement,
  parseHtml,
  renderGfm,
  scannedText,
  textOf,
  renderingProblems,
} from '../helpers/gfm.js';
import { tempDir } from '../helpers/temp.js';

/*
 * What a person sees: every kind of text the Action writes to GitHub (finding issues, the rollup,
 * the dashboard, reopen and close comments, the job summary), rendered by a GFM renderer, for
 * the demo tenant in a private repository, so tenant text is shown in clear, hostile rule names
 * included ("<img src=x onerror=alert(1)> @security-team [click](https://evil.example) | #1").
 */

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

function codes(markdown: string): { element: HtmlElement; ancestors: readonly string[] }[] {
  return allElements(parseHtml(renderGfm(markdown))).filter((e) => e.element.tag === 'code');
}

describe('issues, comments, dashboard and job summary as GitHub renders them', () => {
  it('show tenant text as text, code as code, and no escape artefact, for every kind of issue and comment', async () => {
    f = await startFakeGitHub();
    const fake = f;
    const tenant = await tempDir('mailwarden-rendered-tenant-');
    await cp(DEMO_TENANT_DIR, tenant, { recursive: true });
    const workspace = await tempDir('mailwarden-rendered-workspace-');
    const policy = path.join(workspace, 'policy.json');
    await cp(DEMO_POLICY_PATH, policy);
    // Night 1 opens ten issues (the rest wait in the rollup issue); night 2 opens the rest (the rollup closes).
    const inputs = { snapshot: tenant, policy, 'max-new-issues': '10', 'github-token': 'test-token' };
    const first = await runActionOnce(inputs, fake, { workspace });
    expect(first.log).toMatch(/^Redaction: off \(redact: auto, and contoso\/it-audit is private\)$/m);
    await runActionOnce({ ...inputs, 'max-new-issues': '100' }, fake, { workspace });

    // Night 3: the forwarding mailboxes are fixed, and the MFA gap is accepted; night 4: they forward again.
    const mailboxes = path.join(tenant, 'exchange', 'Get-Mailbox.json');
    const original = await readFile(mailboxes, 'utf8');
    const parsed = JSON.parse(original) as { value: Record<string, unknown>[] };
    for (const m of parsed.value) if (typeof m.ForwardingSmtpAddress === 'string') m.ForwardingSmtpAddress = null;
    await writeFile(mailboxes, JSON.stringify(parsed));
    const policyJson = JSON.parse(await readFile(policy, 'utf8')) as { exceptions?: unknown[] };
    policyJson.exceptions = [
      {
        control: 'mfa.registration',
        target: 'tenant',
        reason: "Rollout finishes next quarter; O'Brien's team tracks it <weekly> & reports",
        approvedBy: 'CISO @ciso',
        expires: '2027-01-31',
        ticket: 'SEC-42',
      },
    ];
    await writeFile(policy, JSON.stringify(policyJson, null, 2));
    const second = await runActionOnce({ ...inputs, 'max-new-issues': '100' }, fake, { workspace });
    await writeFile(mailboxes, original);
    const third = await runActionOnce({ ...inputs, 'max-new-issues': '100' }, fake, { workspace });

    const issues = [...fake.issues.values()];
    const dashboard = issues.find((i) => i.body?.startsWith('<!-- mailwarden:dashboard -->'));
    const rollup = issues.find((i) => i.body?.includes('<!-- mailwarden:rollup -->'));
    const findings = issues.filter((i) => i !== dashboard && i !== rollup);
    const all = issues.flatMap((i) => i.comments);
    const closeFixed = all.filter((c) => c.startsWith('Resolved:'));
    const closeExcepted = all.filter((c) => c.startsWith('Closed: the risk is accepted'));
    const reopened = all.filter((c) => c.startsWith('Reopened'));
    const rollupClosed = all.filter((c) => c.startsWith('Every failing finding has its own issue'));
    expect(dashboard).toBeDefined();
    expect(rollup).toBeDefined();
    expect(findings.length).toBeGreaterThanOrEqual(20);
    expect(closeFixed.length).toBeGreaterThan(0);
    expect(closeExcepted).toHaveLength(1);
    expect(reopened.length).toBeGreaterThan(0);
    expect(rollupClosed).toHaveLength(1);

    const pages: Record<string, string> = {
      dashboard: dashboard?.body ?? '',
      rollup: rollup?.body ?? '',
      ...Object.fromEntries(findings.map((i) => [`issue #${i.number} ${i.title}`, i.body ?? ''])),
      ...Object.fromEntries(all.map((c, n) => [`comment ${n}`, c])),
      'job summary, night 1': first.summary,
      'job summary, night 2': second.summary,
      'job summary, night 3': third.summary,
    };
    for (const [name, markdown] of Object.entries(pages)) expect(renderingProblems(markdown), name).toEqual([]);

    // Hostile names are shown, whole, as text: the demo's rule named to inject HTML, a mention and a link.
    const hostile = findings.find((i) => i.body?.includes('evil'));
    expect(hostile).toBeDefined();
    const shown = scannedText(parseHtml(renderGfm(hostile?.body ?? ''))).replaceAll('\u200d', '');
    expect(shown).toContain('<img src=x onerror=alert(1)> @security-team [click](https://evil.example) | #1');

    // Code where code is meant: the remediation's commands, the target, the exception snippet.
    const inboxRule = findings.find((i) => i.body?.includes('"control":"forwarding.inbox-rules"'));
    const inboxCodes = codes(inboxRule?.body ?? '').map((c) => textOf(c.element));
    expect(inboxCodes).toContain('Revoke-MgUserSignInSession');
    expect(inboxCodes).toContain('Remove-InboxRule -Mailbox <upn> -Identity <rule>');
    const snippet = codes(inboxRule?.body ?? '').find((c) => c.element.attrs.class === 'language-json');
    expect(snippet?.ancestors.at(-1)).toBe('pre');
    const exception = JSON.parse(textOf(snippet?.element ?? parseHtml(''))) as Record<string, string>;
    expect(exception.reason).toBe('<why the risk is accepted>');
    expect(exception.control).toBe('forwarding.inbox-rules');
    const dmarc = findings.find((i) => i.title.includes('DMARC') && i.body?.includes('Proposed DNS record'));
    const record = codes(dmarc?.body ?? '').find((c) => c.element.attrs.class === 'language-text');
    expect(textOf(record?.element ?? parseHtml(''))).toMatch(/^_dmarc\.\S+ \d+ IN TXT "v=DMARC1; p=reject/);

    // The excepted close quotes the policy's text as written, and names the policy as the repository knows it.
    const quoted = textOf(parseHtml(renderGfm(closeExcepted[0] ?? '')));
    expect(quoted).toContain("Rollout finishes next quarter; O'Brien's team tracks it <weekly> & reports");
    expect(quoted.replaceAll('\u200d', '')).toContain('CISO @ciso');
    expect(quoted).toContain('policy.json version 1.0.0');
    // The summary's tenant line and the dashboard's trend are code.
    expect(codes(first.summary).map((c) => textOf(c.element))).toContain('8d1f2c4e-5a6b-4c7d-9e0f-1a2b3c4d5e6f');
    expect(codes(dashboard?.body ?? '').some((c) => c.element.attrs.class === 'language-mermaid')).toBe(true);
  }, 240_000);
});
