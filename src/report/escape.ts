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
 * images, code spans, table pipes, line breaks, `@mentions` and `#123` references.
 */
export function escapeMarkdown(text: string): string {
  return (
    escapeHtml(text)
      // Control characters and line breaks would end a table row or a list item.
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1')
      // A zero-width joiner after @ stops GitHub from notifying the named user or team.
      .replace(/@/g, '@\u200d')
      // Bare URLs are autolinked by GitHub; break the scheme so a hostile link is not clickable.
      .replace(/:\/\//g, ':&#47;&#47;')
  );
}

/** Renders tenant text as an inline code span that cannot be broken out of. */
export function codeSpan(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  return `<code>${escapeHtml(clean).replace(/@/g, '@\u200d').replace(/`/g, '&#96;')}</code>`;
}
