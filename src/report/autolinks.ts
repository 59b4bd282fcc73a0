/*
 * GitHub turns some plain text into links after rendering Markdown, on the text itself, so a
 * backslash escape does not stop it (docs.github.com, "Autolinked references and URLs"):
 * `#123`, `GH-123` and `owner/repo#123` link an issue and leave a cross-reference in its
 * timeline, commit SHAs link commits, and `www.` and `scheme://` text becomes a link. Tenant
 * text (a rule named "see #1", a display name with a URL) must show as text, as `@mentions`
 * already do: a zero-width joiner (U+200D) inside each pattern keeps it from matching and is
 * invisible when rendered.
 */

const JOINER = '\u200d';

/** `#123` (alone or after `owner/repo`) and `GH-123`, case-insensitive. */
const ISSUE_REFERENCE = /#(?=[0-9])|\b(gh)(?=-[0-9])/gi;

/**
 * A run of 7 to 40 hexadecimal digits standing alone, with both digits and letters: a commit
 * SHA or its prefix. Identifiers are left whole so they can be copied into a command or a
 * search: all-digit runs (an Exchange rule ID, a count), all-letter words ("defaced") and runs
 * inside a hyphenated identifier (an object ID `6513270e-269e-…`, a pseudonym
 * `user-390b0e762d`). GitHub links a SHA only when the repository has that commit, and a commit
 * link notifies no one, unlike an issue reference.
 */
const HEX_RUN = /[0-9a-f]{7,40}/gi;

/** `www.` and the `://` of a URL scheme, which GFM autolinks. */
const WEB_LINK = /\b(www)(?=\.)|(?<=[a-z0-9+.-]):(?=\/\/)/gi;

function isAlphanumeric(char: string | undefined): boolean {
  return char !== undefined && /[0-9a-z]/i.test(char);
}

/** True when the run at `start..end` of `text` touches a hyphen that joins it to more of a word. */
function inHyphenatedWord(text: string, start: number, end: number): boolean {
  return (
    (text[start - 1] === '-' && isAlphanumeric(text[start - 2])) || (text[end] === '-' && isAlphanumeric(text[end + 1]))
  );
}

/** Inserts a joiner into every GitHub autolink pattern; the text reads the same once rendered. */
export function neutraliseAutolinks(text: string): string {
  return text
    .replace(ISSUE_REFERENCE, (match) => `${match}${JOINER}`)
    .replace(HEX_RUN, (match, offset: number, whole: string) => {
      const end = offset + match.length;
      // Only a whole word: `contoso365abcdef` is a name, not a SHA.
      if (isAlphanumeric(whole[offset - 1]) || isAlphanumeric(whole[end])) return match;
      if (inHyphenatedWord(whole, offset, end)) return match;
      if (!/[0-9]/.test(match) || !/[a-f]/i.test(match)) return match;
      // A joiner every six digits, so no part left is long enough to be read as a SHA either.
      return match.replace(/.{6}(?=.)/g, (six) => `${six}${JOINER}`);
    })
    .replace(WEB_LINK, (match) => `${match}${JOINER}`);
}
