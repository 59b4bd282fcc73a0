import { neutraliseAutolinks } from './autolinks.js';

/**
 * Escaping for tenant-controlled text (rule names, display names, UPNs) before it is shown in
 * Markdown or HTML. `core.summary` and GitHub issue bodies render raw HTML and Markdown, so an
 * attacker who names an inbox rule `<img src=x>` or `@security-team` must see it shown, not run.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML context. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Escapes text for inline Markdown, including inside a table cell: HTML, emphasis, links and
 * images, code spans, table pipes, line breaks, `@mentions`, and GitHub's autolinks (`#123`,
 * `owner/repo#123`, `GH-123`, commit SHAs, URLs: see autolinks.ts).
 */
export function escapeMarkdown(text: string): string {
  return (
    // Before the HTML entities, whose `&#39;` must not be taken for a reference.
    escapeHtml(neutraliseAutolinks(text))
      // Control characters and line breaks would end a table row or a list item.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: tenant text is made inert by matching them
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1')
      // A zero-width joiner after @ stops GitHub from notifying the named user or team.
      .replace(/@/g, '@\u200d')
      // Bare URLs are autolinked by GitHub; break the scheme so a hostile link is not clickable.
      .replace(/:\/\//g, ':&#47;&#47;')
  );
}

/**
 * Renders tenant text as an inline `<code>` element that cannot be broken out of. Markdown is
 * still parsed inside inline HTML, so every punctuation character is a numeric entity (decoded
 * to the literal character, never parsed): no links, images, emphasis, autolinks (`.` and `:`),
 * and `|` cannot split a table cell (GFM splits cells before inline parsing).
 */
export function codeSpan(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: tenant text is made inert by matching them
  const clean = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  // One pass, so the `#` and `;` of an entity are never encoded again.
  const encoded = clean.replace(/[&<>"'`[\]()!*_~|#:.\\{}+@]/g, (c) =>
    c === '@' ? '@\u200d' : (HTML_ENTITIES[c] ?? `&#${c.charCodeAt(0)};`),
  );
  return `<code>${encoded}</code>`;
}

/**
 * JSON for a fenced code block whose text a reader copies: `<`, `>`, `&` and backticks are
 * written as `\u` escapes (the same JSON value), so tenant text cannot close the fence, open an
 * HTML comment (a fake fingerprint marker) or inject HTML.
 */
export function fencedJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[<>&`\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Plain text for an issue title: one line, no code spans, no HTML, capped at GitHub's 256
 * characters. Titles render only code spans and do not notify @mentions, so UPNs stay readable.
 */
export function plainTitle(text: string): string {
  const clean = neutraliseAutolinks(text)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: tenant text is made inert by matching them
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/[`<>]/g, "'");
  return clean.length > 256 ? `${clean.slice(0, 255)}…` : clean;
}
