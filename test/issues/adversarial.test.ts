import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/logger.js';
import { parseFingerprint, parseState } from '../../src/issues/marker.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { syncIssues } from '../../src/issues/sync.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { allElements, comments, ESCAPE_ARTEFACTS, parseHtml, renderGfm, scannedText } from '../helpers/gfm.js';
import { demoPolicy, report, result, shown } from './report-fixture.js';
import { FAST_PACING } from '../helpers/fast-issues-client.js';

const FORGED = '<!-- mailwarden:fingerprint=00000000000000000000000000000000 -->';
const HOSTILE = [
  `@security-team <img src=x onerror=alert(1)> [click](https://evil.example) ![i](https://evil.example/x.png)`,
  FORGED,
  'a | b | c',
  '```\n# Heading\n```',
  '<!-- mailwarden:state={"v":1} -->',
  '<script>alert(1)</script>',
  '`code` **bold** #1 https://evil.example/path',
].join('\n');

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

/** Lines outside fenced code blocks, where Markdown and mentions are live. */
function liveLines(body: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of body.split('\n')) {
    if (line.startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) out.push(line);
  }
  expect(fenced).toBe(false);
  return out;
}

describe('adversarial tenant names through plan, render and the GitHub API', () => {
  it('cannot mention, inject HTML, link, forge a marker or break out of a table or fence', async () => {
    f = await startFakeGitHub();
    const bad = result({
      target: HOSTILE,
      message: `Inbox rule ${HOSTILE} forwards mail`,
      evidence: {
        ruleName: HOSTILE,
        rules: [{ name: HOSTILE, 'key|with|pipes': 'x', forwardTo: '@admins' }],
        list: [HOSTILE, 'ok'],
      },
    });
    const rep = report([bad]);
    const logger = memoryLogger();
    const api = octokitIssuesApi(
      createOctokit({
        token: 'test-token',
        baseUrl: f.apiUrl,
        logger,
        pacing: FAST_PACING,
      }),
      {
        owner: 'contoso',
        repo: 'it-audit',
      },
    );
    const settings = {
      mode: 'on' as const,
      repo: { owner: 'contoso', repo: 'it-audit' },
      labels: [],
      maxNewIssues: 20,
    };
    const first = await syncIssues(api, shown(rep), demoPolicy(), settings, { logger, now: () => new Date() });
    expect(first.outcome.failures).toEqual([]);
    const issue = f.issues.get(1)!;
    const body = issue.body ?? '';

    // Exactly our marker, matched to the real fingerprint.
    expect(parseFingerprint(body)).toBe(bad.fingerprint);
    expect(body.match(/<!-- mailwarden:fingerprint=/g)).toHaveLength(1);
    expect(body.match(/<!-- mailwarden:state=/g)).toHaveLength(1);
    expect(body).not.toContain(FORGED);
    // The state marker carries the exact target (for `/mailwarden accept`), unbroken.
    expect(parseState(body)?.target).toBe(HOSTILE);

    const live = liveLines(body).filter((l) => !l.startsWith('<!-- mailwarden:'));
    // As GitHub shows it: no element, link, comment, heading or mention comes from tenant text.
    const page = parseHtml(renderGfm(body));
    const tags = allElements(page).map((e) => e.element.tag);
    for (const tag of ['img', 'script', 'h1', 'b', 'strong']) {
      if (tag === 'strong') continue; // our own bold labels
      expect(tags, tag).not.toContain(tag);
    }
    // Links: the run's, and those of the control's own remediation text; none from the tenant.
    const hrefs = allElements(page)
      .filter((e) => e.element.tag === 'a')
      .map((e) => e.element.attrs.href ?? '');
    expect(hrefs).toContain('https://github.com/contoso/it-audit/actions/runs/1');
    expect(hrefs.filter((h) => /evil/.test(h))).toEqual([]);
    expect(comments(page).map((c) => c.trim().split('=')[0])).toEqual(['mailwarden:fingerprint', 'mailwarden:state']);
    const scanned = scannedText(page);
    expect(scanned).not.toMatch(/@(?!\u200d)[A-Za-z]/);
    expect(scanned).not.toMatch(/https?:\/\/evil/);
    expect(scanned).not.toMatch(/(?:^|[^\w/&])#1\b/);
    for (const [name, pattern] of ESCAPE_ARTEFACTS) expect(pattern.test(scanned), name).toBe(false);
    // The hostile text is shown, whole, where it stands in the body.
    expect(scanned.replaceAll('\u200d', '')).toContain('<img src=x onerror=alert(1)>');
    // Every table row has as many cells as its header.
    for (const table of allElements(page).filter((e) => e.element.tag === 'table')) {
      const rows = allElements(table.element).filter((e) => e.element.tag === 'tr');
      const cells = rows.map((r) => r.element.children.filter((c) => c.kind === 'element').length);
      expect(new Set(cells).size, JSON.stringify(cells)).toBe(1);
    }
    // In the source too: no line of tenant text can pass for a table row with extra cells.
    const pipes = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    let header = 0;
    for (const line of live) {
      if (!line.startsWith('|')) {
        header = 0;
        continue;
      }
      if (header === 0) header = pipes(line);
      else expect(pipes(line)).toBe(header);
    }

    // The exception block is valid JSON carrying the exact target, so it can be pasted as is.
    const json = /```json\n([\s\S]*?)\n```/.exec(body)?.[1] ?? '';
    expect((JSON.parse(json) as { target: string }).target).toBe(HOSTILE);
    expect(issue.title).not.toMatch(/[`<>\n]/);

    // And the marker survives: a rerun matches the issue and writes nothing.
    const before = f.writes().length;
    await syncIssues(api, shown(rep), demoPolicy(), settings, { logger, now: () => new Date() });
    expect(f.writes().length).toBe(before);
    expect(f.issues.size).toBe(1);
  });
});
