import { describe, expect, it } from 'vitest';
import { catalogMarkdown, codeSpan, escapeMarkdown, fencedBlock, fencedJson } from '../../src/report/escape.js';
import {
  allElements,
  comments,
  ESCAPE_ARTEFACTS,
  GITHUB_AUTOLINKS,
  parseHtml,
  renderGfm,
  scannedText,
  textOf,
} from '../helpers/gfm.js';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '@security-team please approve',
  '[click](https://evil.example/phish)',
  '![x](https://evil.example/p.png)',
  '| broken | table |',
  '```\nfence',
  '<!-- mailwarden:fingerprint=deadbeef -->',
  'line\nbreak',
  'https://evil.example/autolink',
  'O\'Brien & Sons "quoted" <b>bold</b> &#39; &amp;',
  '# heading',
  '> quote',
  '- item',
  '1. first',
  '2) second',
  '    indented code',
  '**bold** _em_ ~~strike~~ `code` $x$ and $$y$$',
  'back\\slash \\* \\\\',
  '---',
  'see #1, o/r#2, GH-3, 1a2b3c4d',
  'www.evil.example and lee@contoso.example',
  '<https://evil.example>',
  '&lt;img&gt; stays as typed',
];

/** The text as a reader should see it: line breaks as spaces, leading spaces gone, joiners invisible. */
function expected(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: line breaks in tenant text are what this models
  return text.replace(/[\u0000-\u001f]+/g, ' ').trimStart();
}

function visible(html: string): string {
  return textOf(parseHtml(html)).replaceAll('\u200d', '').trim();
}

/** Elements in rendered HTML, other than the ones the context itself makes. */
function extraElements(html: string, allowed: readonly string[]): string[] {
  return allElements(parseHtml(html))
    .map((e) => e.element.tag)
    .filter((t) => !allowed.includes(t));
}

const CONTEXTS: readonly { name: string; wrap: (s: string) => string; tags: readonly string[] }[] = [
  { name: 'paragraph', wrap: (s) => s, tags: ['p'] },
  {
    name: 'table cell',
    wrap: (s) => `| a | b |\n| --- | --- |\n| ${s} | x |`,
    tags: ['table', 'thead', 'tbody', 'tr', 'th', 'td'],
  },
  { name: 'list item', wrap: (s) => `- ${s}`, tags: ['ul', 'li'] },
  { name: 'quote', wrap: (s) => `> **Reason:** ${s}`, tags: ['blockquote', 'p', 'strong'] },
];

describe('escapeMarkdown, rendered by a GFM renderer', () => {
  it('shows hostile text exactly as written, in a paragraph, a table cell, a list item and a quote', () => {
    for (const text of HOSTILE) {
      for (const context of CONTEXTS) {
        const html = renderGfm(context.wrap(escapeMarkdown(text)));
        const shown = visible(html);
        expect(shown, `${context.name}: ${text}`).toContain(expected(text).trim());
        expect(extraElements(html, context.tags), `${context.name}: ${text}`).toEqual([]);
        expect(comments(parseHtml(html)), `${context.name}: ${text}`).toEqual([]);
      }
    }
  });

  it('leaves no mention, link, reference or escape artefact in what GitHub scans', () => {
    for (const text of HOSTILE) {
      for (const context of CONTEXTS) {
        const scanned = scannedText(parseHtml(renderGfm(context.wrap(escapeMarkdown(text)))));
        for (const [name, pattern] of [...GITHUB_AUTOLINKS, ...ESCAPE_ARTEFACTS]) {
          // What the tenant typed (a backslash, `&amp;`) is text, not an artefact.
          if (pattern.test(text)) continue;
          expect(pattern.test(scanned), `${name} in ${context.name}: ${text} → ${scanned}`).toBe(false);
        }
      }
    }
  });

  it('the hostile samples are live when not escaped (the test can fail)', () => {
    const raw = HOSTILE.map((text) => parseHtml(renderGfm(text)));
    expect(raw.flatMap((tree) => allElements(tree).map((e) => e.element.tag))).toEqual(
      expect.arrayContaining(['img', 'a', 'h1', 'blockquote', 'ol', 'ul', 'hr', 'em', 'del']),
    );
    expect(raw.flatMap(comments)).not.toEqual([]);
    expect(GITHUB_AUTOLINKS.filter(([, p]) => raw.some((tree) => p.test(scannedText(tree)))).map(([n]) => n)).toEqual(
      expect.arrayContaining(['mention', 'issue reference', 'GH- reference']),
    );
  });

  it('keeps ordinary text unchanged in the source', () => {
    expect(escapeMarkdown('Alex Wilber')).toBe('Alex Wilber');
    expect(escapeMarkdown("O'Brien")).toBe("O'Brien");
    expect(escapeMarkdown('rule #7')).toBe('rule \\#\u200d7');
  });
});

describe('codeSpan', () => {
  const samples = [
    'Set-Mailbox -Identity lee -ForwardingSmtpAddress $null',
    '`rm -rf`<b>',
    'a | b',
    '``',
    ' x ',
    '@team #1 https://e.example',
  ];

  it('renders one code element holding the text exactly, inline and in a table cell', () => {
    for (const text of samples) {
      for (const html of [
        renderGfm(`see ${codeSpan(text)} here`),
        renderGfm(`| a |\n| --- |\n| ${codeSpan(text, { cell: true })} |`),
      ]) {
        const codes = allElements(parseHtml(html)).filter((e) => e.element.tag === 'code');
        expect(codes, `${text}: ${html}`).toHaveLength(1);
        expect(textOf(codes[0]!.element)).toBe(text);
      }
    }
  });

  it('shows nothing for empty text', () => {
    expect(codeSpan('')).toBe('–');
  });
});

describe('fenced blocks', () => {
  it('fencedJson in a json fence renders as code that parses back to the same value', () => {
    const value = { target: '<why the risk is accepted> ``` </code> <!-- x -->', n: 1 };
    const html = renderGfm(['```json', fencedJson(value), '```'].join('\n'));
    const code = allElements(parseHtml(html)).find((e) => e.element.tag === 'code');
    expect(code?.element.attrs.class).toBe('language-json');
    expect(JSON.parse(textOf(code!.element))).toEqual(value);
    expect(textOf(code!.element)).toContain('<why the risk is accepted>');
  });

  it('fencedBlock cannot be closed by its content and hides no marker', () => {
    const block = fencedBlock(
      ['v=spf1 -all', '```', '<!-- mailwarden:fingerprint=00000000000000000000000000000000 -->'],
      'text',
    );
    expect(block.split('\n').filter((l) => l.startsWith('<!--'))).toEqual([]);
    const codes = allElements(parseHtml(renderGfm(`${block}\n\nafter`))).filter((e) => e.element.tag === 'code');
    expect(codes).toHaveLength(1);
    expect(textOf(codes[0]!.element)).toContain('```');
  });
});

describe('catalogMarkdown', () => {
  it('keeps our code spans as code and shows placeholders', () => {
    const html = renderGfm(
      catalogMarkdown(
        'Run `Set-Mailbox -Identity <user> -ForwardingSmtpAddress $null`, then publish "rua=mailto:tls@<domain>" & wait.',
      ),
    );
    const tree = parseHtml(html);
    const codes = allElements(tree).filter((e) => e.element.tag === 'code');
    expect(codes.map((c) => textOf(c.element))).toEqual(['Set-Mailbox -Identity <user> -ForwardingSmtpAddress $null']);
    expect(visible(html)).toContain('"rua=mailto:tls@<domain>" & wait.');
    expect(extraElements(html, ['p', 'code'])).toEqual([]);
  });
});
