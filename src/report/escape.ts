import { neutraliseAutolinks } from './autolinks.js';

/*
 * Escaping for GitHub Flavored Markdown (GFM, https://github.github.com/gfm/), the one family of
 * functions every renderer of issues, comments, the dashboard and the job summary uses.
 *
 * GitHub renders raw HTML, Markdown, @mentions and autolinks in issue bodies and job summaries,
 * so an attacker who names an inbox rule `<img src=x>` or `@security-team` must see it shown,
 * not run. The escapes are GFM's own (a backslash before ASCII punctuation, CommonMark §2.4;
 * the entities `&lt;` `&gt;` `&amp;`, §2.5), so a renderer consumes every one of them and the
 * reader sees the text exactly as the tenant wrote it. Nothing is escaped twice.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** A zero-width joiner: invisible once rendered, and it breaks the patterns GitHub links. */
const JOINER = '\u200d';

/**
 * Characters that start Markdown inline syntax anywhere in a line get a backslash: code spans,
 * emphasis, links and images, tables, strikethrough, math (`$`, which GitHub renders) and the
 * backslash itself. `#` too: harmless inside a line, it also keeps `#1` from reading as a
 * reference in the raw body. Raw HTML, `<…>` autolinks and entity references become entities,
 * which GFM decodes to the character.
 */
const INLINE = /[\\`*_[\]|~$#&<>]/g;
const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * What a line may start with that makes it a block: a list item or a setext underline (`#` and
 * `>` are escaped already), or an ordered list item `1.` / `1)`.
 */
const LINE_START = /^([-+=])|^(\d+)([.)])/;

/**
 * Escapes tenant text (or any text that is not ours) for one line of GFM: a paragraph, a list
 * item, a quote or a table cell. Line breaks become spaces, leading spaces go (four would start
 * a code block), mentions and GitHub's autolinks (`#1`, `owner/repo#2`, `GH-3`, commit SHAs,
 * URLs) get a zero-width joiner, and every Markdown character is escaped.
 */
export function escapeMarkdown(text: string): string {
  return (
    neutraliseAutolinks(text.replace(CONTROL, ' ').trimStart())
      // One pass over the original characters, so an entity written here is never escaped again.
      .replace(INLINE, (c) => ENTITY[c] ?? `\\${c}`)
      .replace(LINE_START, (_m, mark: string | undefined, digits: string | undefined, dot: string | undefined) =>
        mark !== undefined ? `\\${mark}` : `${digits ?? ''}\\${dot ?? ''}`,
      )
      // A joiner after @ keeps GitHub from notifying the named user or team, and from linking an address.
      .replace(/@/g, `@${JOINER}`)
  );
}

/** The longest run of backticks in a text. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * Text as an inline code span (CommonMark §6.1): shown literally and copyable exactly, with no
 * HTML, emphasis, link, mention or autolink inside. The fence is one backtick longer than any
 * run inside. In a table cell (`{ cell: true }`) a `|` is written `\|`, which GFM reads as part
 * of the cell even inside code (GFM §4.10); outside a table that backslash would show, so the
 * caller says where the span goes. Empty text has no code span and shows as a dash; `<!--` gets
 * a zero-width joiner, so the source never holds something that reads as a hidden marker.
 */
export function codeSpan(text: string, where: { readonly cell?: boolean } = {}): string {
  // `<!--` never belongs to an identifier; a joiner keeps it from reading as one of our hidden markers in the source.
  let clean = text.replace(CONTROL, ' ').replace(/<!--/g, `<${JOINER}!--`);
  if (clean.trim() === '') return '–';
  if (where.cell) clean = clean.replace(/\|/g, '\\|');
  const fence = '`'.repeat(longestBacktickRun(clean) + 1);
  // One space on each side is stripped again by the renderer; it lets the text start or end with a backtick.
  const pad = /^[` ]|[` ]$/.test(clean) ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/**
 * JSON for a fenced ```json block whose text a reader copies and pastes as is. Inside a fenced
 * block nothing is interpreted, and no line of `JSON.stringify` output can close the fence: each
 * starts with a brace, a bracket, or spaces and a quote (line breaks in strings are `\n`). Only
 * `<!--` is written as `\u003c!--`, the same value, so tenant text holds no hidden marker.
 */
export function fencedJson(value: unknown): string {
  // `<!--` can only sit inside a string; `\u003c` is the same JSON value and no hidden marker in the source.
  return JSON.stringify(value, null, 2).replace(/<!--/g, '\\u003c!--');
}

/**
 * A fenced code block (CommonMark §4.5) around literal lines: the fence is longer than any
 * backtick run inside, control characters go, and a line that would read as one of our hidden
 * markers (`<!-- mailwarden:…`) is indented by a space so the marker parser cannot take it.
 */
export function fencedBlock(lines: readonly string[], info: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const clean = lines.map((l) => l.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]+/g, ' '));
  const safe = clean.map((l) => (l.startsWith('<!--') ? ` ${l}` : l));
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(safe.join('\n')) + 1));
  return [`${fence}${info}`, ...safe, fence].join('\n');
}

/**
 * Markdown written by us (a control's statement, rationale and remediation in the catalog):
 * its code spans stay code, and what lies between them is text, with `<`, `>` and `&` as
 * entities so a placeholder such as `<domain>` is shown rather than taken for an HTML tag.
 */
export function catalogMarkdown(text: string): string {
  const parts = text.replace(CONTROL, ' ').split(/(`+[^`]*`+)/);
  return parts
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[&<>]/g, (c) => ENTITY[c] ?? c).replace(/@/g, `@${JOINER}`)))
    .join('');
}

/**
 * Plain text for an issue title: one line, no code spans, no HTML, capped at GitHub's 256
 * characters. Titles render only code spans and references, and do not notify @mentions, so
 * UPNs stay readable.
 */
export function plainTitle(text: string): string {
  const clean = neutraliseAutolinks(text).replace(CONTROL, ' ').replace(/[`<>]/g, "'");
  return clean.length > 256 ? `${clean.slice(0, 255)}…` : clean;
}
