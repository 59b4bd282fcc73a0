import { describe, expect, it } from 'vitest';
import { codeSpan, escapeHtml, escapeMarkdown } from '../../src/report/escape.js';

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
];

describe('escaping tenant text', () => {
  it('leaves no live HTML, mention, link, image, pipe, fence or marker', () => {
    for (const text of HOSTILE) {
      const out = escapeMarkdown(text);
      expect(out).not.toMatch(/<[a-z!]/i);
      expect(out).not.toMatch(/@[a-z]/i);
      expect(out).not.toMatch(/(^|[^\\])\]\(/);
      expect(out).not.toMatch(/(^|[^\\])\|/);
      expect(out).not.toContain('```');
      expect(out).not.toContain('\n');
      expect(out).not.toContain('<!--');
      expect(out).not.toContain('://');
    }
  });

  it('keeps the text readable', () => {
    expect(escapeMarkdown('Alex Wilber')).toBe('Alex Wilber');
    expect(escapeHtml('a < b & c')).toBe('a &lt; b &amp; c');
    expect(codeSpan('`rm -rf`<b>')).toBe('<code>&#96;rm -rf&#96;&lt;b&gt;</code>');
  });
});
