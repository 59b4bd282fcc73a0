import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { neutraliseAutolinks } from '../../src/report/autolinks.js';
import { escapeMarkdown, plainTitle } from '../../src/report/escape.js';

/*
 * GitHub links some text after rendering (docs.github.com, "Autolinked references and URLs"),
 * on the rendered text outside links and code. These tests render with a GFM renderer, take
 * the text GitHub would scan, and look for every pattern it links.
 */
const GITHUB_AUTOLINKS: readonly [string, RegExp][] = [
  ['issue reference', /(?:^|[^\w/&])#[0-9]+\b/],
  ['repository issue reference', /\b[\w.-]+\/[\w.-]+#[0-9]+\b/],
  ['GH- reference', /\bGH-[0-9]+\b/i],
  ['commit SHA', /(?:^|[^0-9a-z])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}(?![0-9a-z])/i],
  ['www link', /\bwww\.[a-z0-9]/i],
  ['URL', /\b[a-z][a-z0-9+.-]*:\/\//i],
  ['mention', /@[a-z0-9]/i],
];

const HOSTILE = [
  'see #1 and #22',
  'o/r#2 and microsoft/vscode#123456',
  'GH-3, gh-4',
  'fixed in 1a2b3c4 and deadbeefcafe0123456789abcdef0123456789ab',
  'user@5e3ce6c, owner/repo@a1b2c3d4',
  'www.evil.example/phish',
  'https://evil.example/x and ftp://evil.example and HTTP://EVIL.EXAMPLE',
  'mail me: someone@evil.example',
];

function decode(html: string): string {
  return html
    .replace(/&#([0-9]+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text GitHub scans for references: everything outside links and code, tags removed. */
function scannedText(html: string): string {
  return decode(html.replace(/<(a|code|pre)\b[^>]*>[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' '));
}

function linksIn(markdown: string): string[] {
  const html = marked.parse(markdown, { gfm: true, async: false });
  const found = GITHUB_AUTOLINKS.filter(([, pattern]) => pattern.test(scannedText(html))).map(([name]) => name);
  if (/<a\b/.test(html)) found.push('rendered link');
  return found;
}

describe('GitHub autolinks in tenant text', () => {
  it('the hostile samples do link when shown raw (the test can fail)', () => {
    for (const text of HOSTILE) expect(linksIn(text), text).not.toEqual([]);
  });

  it('escapeMarkdown leaves none of them, in a paragraph or a table cell', () => {
    for (const text of HOSTILE) {
      expect(linksIn(escapeMarkdown(text)), text).toEqual([]);
      expect(linksIn(`| a |\n|---|\n| ${escapeMarkdown(text)} |`), text).toEqual([]);
    }
  });

  it('reads the same once rendered: only zero-width joiners are added', () => {
    for (const text of HOSTILE) expect(neutraliseAutolinks(text).replaceAll('\u200d', '')).toBe(text);
    const html = marked.parse(escapeMarkdown('see #1, GH-3 and 1a2b3c4'), { gfm: true, async: false });
    expect(scannedText(html).replaceAll('\u200d', '').trim()).toBe('see #1, GH-3 and 1a2b3c4');
  });

  it('issue titles get the same treatment', () => {
    for (const text of HOSTILE.slice(0, 5)) {
      const title = plainTitle(text);
      for (const [name, pattern] of GITHUB_AUTOLINKS.slice(0, 4))
        expect(pattern.test(title), `${name}: ${text}`).toBe(false);
    }
  });

  it('keeps object IDs, ordinary words, numbers and entities intact', () => {
    const guid = '6513270e-269e-0d37-f2a7-4de452e6b438';
    expect(neutraliseAutolinks(`user ${guid}`)).toBe(`user ${guid}`);
    expect(neutraliseAutolinks('user-390b0e762d ip-0a1b2c3d4e')).toBe('user-390b0e762d ip-0a1b2c3d4e');
    expect(neutraliseAutolinks('Contoso Health, 3192 events, contoso365abcdef, defaced')).toBe(
      'Contoso Health, 3192 events, contoso365abcdef, defaced',
    );
    expect(neutraliseAutolinks('Remove-InboxRule -Identity lee\\17094309485729808385')).toBe(
      'Remove-InboxRule -Identity lee\\17094309485729808385',
    );
    expect(escapeMarkdown('rule #7')).toBe('rule \\#\u200d7');
  });
});
