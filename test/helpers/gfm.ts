import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/*
 * GitHub Flavored Markdown as a reader sees it: micromark with its GFM extension (tables,
 * strikethrough, autolink literals, task lists, the tag filter), raw HTML let through as GitHub
 * lets most of it through, and a small reader of the HTML it writes, so tests assert on what is
 * shown (elements and text), not on the Markdown source.
 */

export function renderGfm(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

export interface HtmlElement {
  readonly kind: 'element';
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: HtmlNode[];
}
export type HtmlNode =
  | HtmlElement
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'comment'; readonly text: string };

const VOID = new Set(['img', 'br', 'hr', 'input', 'source', 'meta', 'link', 'wbr']);
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/** Reads micromark's HTML (and any raw HTML it passed through) into a tree. Lenient: stray closing tags are ignored. */
export function parseHtml(html: string): HtmlElement {
  const root: HtmlElement = { kind: 'element', tag: '#root', attrs: {}, children: [] };
  const stack: HtmlElement[] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  const token =
    /<!--([\s\S]*?)-->|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
  let last = 0;
  for (const match of html.matchAll(token)) {
    const index = match.index ?? 0;
    if (index > last) top().children.push({ kind: 'text', text: decodeEntities(html.slice(last, index)) });
    last = index + match[0].length;
    if (match[1] !== undefined) {
      top().children.push({ kind: 'comment', text: match[1] });
    } else if (match[2] !== undefined) {
      const tag = match[2].toLowerCase();
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
    } else if (match[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of (match[4] ?? '').matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
        attrs[(a[1] ?? '').toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
      }
      const element: HtmlElement = { kind: 'element', tag: match[3].toLowerCase(), attrs, children: [] };
      top().children.push(element);
      if (!VOID.has(element.tag) && !match[0].endsWith('/>')) stack.push(element);
    }
  }
  if (last < html.length) top().children.push({ kind: 'text', text: decodeEntities(html.slice(last)) });
  return root;
}

export function textOf(node: HtmlNode): string {
  if (node.kind === 'text') return node.text;
  if (node.kind === 'comment') return '';
  return node.children.map(textOf).join('');
}

/** Every element of the tree, depth first, with its ancestors' tags. */
export function allElements(
  node: HtmlElement,
  ancestors: readonly string[] = [],
): { element: HtmlElement; ancestors: readonly string[] }[] {
  const out: { element: HtmlElement; ancestors: readonly string[] }[] = [];
  for (const child of node.children) {
    if (child.kind !== 'element') continue;
    out.push({ element: child, ancestors });
    out.push(...allElements(child, [...ancestors, child.tag]));
  }
  return out;
}

/** Text nodes outside `code`, `pre` and `a`: what GitHub scans for mentions and references. */
export function scannedText(node: HtmlElement): string {
  const parts: string[] = [];
  const walk = (n: HtmlNode): void => {
    if (n.kind === 'text') parts.push(n.text);
    else if (n.kind === 'element' && !['code', 'pre', 'a'].includes(n.tag)) for (const c of n.children) walk(c);
  };
  walk(node);
  return parts.join(' ');
}

/** Comments anywhere in the tree (hidden markers, and anything that would forge one). */
export function comments(node: HtmlElement): string[] {
  const out: string[] = [];
  const walk = (n: HtmlNode): void => {
    if (n.kind === 'comment') out.push(n.text);
    else if (n.kind === 'element') for (const c of n.children) walk(c);
  };
  walk(node);
  return out;
}

/**
 * Patterns GitHub links in rendered text, outside links and code (docs.github.com,
 * "Autolinked references and URLs"; @mentions).
 */
export const GITHUB_AUTOLINKS: readonly (readonly [string, RegExp])[] = [
  ['mention', /(?:^|[^\w`])@[a-z0-9]/i],
  ['issue reference', /(?:^|[^\w/&])#[0-9]+\b/],
  ['repository issue reference', /\b[\w.-]+\/[\w.-]+#[0-9]+\b/],
  ['GH- reference', /\bGH-[0-9]+\b/i],
  ['www link', /\bwww\.[a-z0-9]/i],
  ['URL', /\b[a-z][a-z0-9+.-]*:\/\//i],
];

/**
 * What must never be visible in rendered text: an HTML entity or `\u` escape left undecoded,
 * or a backslash left before punctuation (an escape the renderer did not consume).
 */
export const ESCAPE_ARTEFACTS: readonly (readonly [string, RegExp])[] = [
  ['HTML entity', /&(?:#[0-9]+|#x[0-9a-f]+|[a-z]+);/i],
  ['JSON \\u escape', /\\u[0-9a-f]{4}/i],
  ['backslash escape', /\\[!"#$%&'()*+,\-./:;<=>?@[\]^_`{|}~]/],
];

/** Elements our own templates write; anything else on a rendered page came from tenant text. */
export const OUR_ELEMENTS: ReadonlySet<string> = new Set([
  'p',
  'h2',
  'h3',
  'strong',
  'code',
  'pre',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'blockquote',
  'a',
  'details',
  'summary',
  'br',
  'em',
]);

/** Our own hidden markers: the only HTML comments a page may hold. */
export const OUR_COMMENT = /^ mailwarden:(fingerprint=[0-9a-f]{32}|state=\{.*\}|rollup|dashboard|history=.*) $/s;

/**
 * What tenant text did to a page once GitHub renders it: an element or comment our templates do
 * not write, a link to the attacker's host, an autolink, an escape artefact, or a table row with
 * more or fewer cells than its header. Empty when the page shows tenant text as text.
 */
export function renderingProblems(markdown: string): string[] {
  const page = parseHtml(renderGfm(markdown));
  const out: string[] = [];
  for (const { element } of allElements(page)) {
    if (!OUR_ELEMENTS.has(element.tag)) out.push(`element <${element.tag}>`);
    if (element.tag === 'a' && /evil/.test(element.attrs.href ?? '')) out.push(`link ${element.attrs.href}`);
  }
  for (const c of comments(page)) if (!OUR_COMMENT.test(c)) out.push(`comment <!--${c.slice(0, 40)}-->`);
  const scanned = scannedText(page);
  for (const [name, pattern] of [...GITHUB_AUTOLINKS, ...ESCAPE_ARTEFACTS]) {
    const m = pattern.exec(scanned);
    if (m) out.push(`${name}: …${scanned.slice(Math.max(0, m.index - 30), m.index + 30)}…`);
  }
  for (const { element } of allElements(page).filter((e) => e.element.tag === 'table')) {
    const widths = allElements(element)
      .filter((e) => e.element.tag === 'tr')
      .map((e) => e.element.children.filter((c) => c.kind === 'element').length);
    if (new Set(widths).size > 1) out.push(`table rows of ${[...new Set(widths)].join(', ')} cells`);
  }
  return out;
}
