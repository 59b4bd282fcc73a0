import { applyEdits, format, modify, type Edit, type FormattingOptions } from 'jsonc-parser';
import { ConfigurationError } from '../errors.js';
import { exceptionKey } from '../policy/exceptions.js';
import { parsePolicy, type ParsedPolicy } from '../policy/parse-policy.js';
import type { NewException } from './new-exception.js';

export interface PolicyEdit {
  /** The whole new policy text. */
  readonly text: string;
  /** JSON pointer of the written entry. */
  readonly pointer: string;
  /** An entry for the same control and target was replaced (a renewal, or a repeated request). */
  readonly replaced: boolean;
  /** The new policy, parsed and validated exactly as an audit run would read it. */
  readonly parsed: ParsedPolicy;
  /** Offset and length, in the new text, of the only bytes that differ from the old text. */
  readonly changed: { readonly offset: number; readonly length: number };
}

/**
 * The file's own layout, so the new entry looks like its neighbours: the indent of the first
 * indented line (tabs or N spaces) and CRLF or LF. A file with no indented line is left compact.
 */
function layoutOf(text: string): FormattingOptions | undefined {
  const indent = /^([ \t]+)["}\]]/m.exec(text)?.[1];
  if (indent === undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return indent.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent.length, eol };
}

/** The entry as written: the schema's field order, `ticket` only when given. */
function entryOf(exception: NewException): Record<string, string> {
  return {
    control: exception.control,
    target: exception.target,
    reason: exception.reason,
    approvedBy: exception.approvedBy,
    expires: exception.expires,
    ...(exception.ticket !== undefined ? { ticket: exception.ticket } : {}),
  };
}

/**
 * Adds an exception to a policy's text, or replaces the one for the same control and target
 * (matched as the engine matches them, case-insensitively). jsonc-parser's `modify` makes the
 * smallest edit (one insertion, or one replaced array element), then `format` lays out only the
 * inserted range, so every byte outside the new entry is kept: comments, key order, spacing,
 * line endings. The result must validate as the policy reader reads it on `now`, or nothing is
 * returned but a `ConfigurationError` naming the file.
 */
export function addPolicyException(text: string, file: string, exception: NewException, now: Date): PolicyEdit {
  const before = parsePolicy(text, file, now);
  const key = exceptionKey(exception.control, exception.target);
  const match = before.policy.exceptions.find((e) => exceptionKey(e.control, e.target) === key);
  // The reader keeps one entry per array element, in order, each with its pointer.
  const index = match ? Number(match.pointer.slice('/exceptions/'.length)) : -1;
  const count = before.policy.exceptions.length;
  const entry = entryOf(exception);

  let edits: Edit[];
  let position: number;
  if (index >= 0) {
    edits = modify(text, ['exceptions', index], entry, {});
    position = index;
  } else if (count > 0) {
    edits = modify(text, ['exceptions', -1], entry, { isArrayInsertion: true });
    position = count;
  } else {
    // No list, or an empty one: write the whole list, so `[]` becomes a laid-out array.
    edits = modify(text, ['exceptions'], [entry], {});
    position = 0;
  }
  const [edit] = edits;
  if (edits.length !== 1 || edit === undefined) throw new Error(`policy edit: expected one edit, got ${edits.length}`);
  const inserted = applyEdits(text, edits);
  const layout = layoutOf(text);
  const range = { offset: edit.offset, length: edit.content.length };
  const laidOut = layout ? applyEdits(inserted, format(inserted, range, layout)) : inserted;

  // The promise to the reviewer, checked rather than assumed: bytes before and after the edit are the old ones.
  const tail = text.length - edit.offset - edit.length;
  if (
    laidOut.slice(0, edit.offset) !== text.slice(0, edit.offset) ||
    laidOut.slice(laidOut.length - tail) !== text.slice(text.length - tail)
  ) {
    throw new Error('policy edit: bytes outside the new entry changed');
  }

  let parsed: ParsedPolicy;
  try {
    parsed = parsePolicy(laidOut, file, now);
  } catch (error: unknown) {
    if (error instanceof ConfigurationError) {
      const first = error.details[0] ?? error.message;
      throw new ConfigurationError(`${file}: the policy would not validate with the new exception: ${first}`, [
        error.message,
        ...error.details,
      ]);
    }
    throw error;
  }
  return {
    text: laidOut,
    pointer: `/exceptions/${position}`,
    replaced: index >= 0,
    parsed,
    changed: { offset: edit.offset, length: laidOut.length - tail - edit.offset },
  };
}
