import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { graphPageLines } from '../../src/snapshot/graph-page-lines.js';
import { tempDir } from '../helpers/temp.js';

async function read(text: string, bufferBytes?: number): Promise<unknown[][]> {
  const file = path.join(await tempDir(), 'signIns.jsonl');
  await writeFile(file, text);
  const pages: unknown[][] = [];
  for await (const page of graphPageLines(file, undefined, bufferBytes).pages()) pages.push([...page]);
  return pages;
}

async function failure(text: string): Promise<string> {
  try {
    await read(text);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message.replace(/^.*signIns\.jsonl/, 'signIns.jsonl');
  }
  throw new Error('expected a failure');
}

// Records whose strings hold every byte the record splitter must not take for structure.
const tricky = [
  { id: 'a', note: 'braces } { and brackets ] [ and commas , inside', quote: 'say "hi" \\ back\\slash\\' },
  { id: 'b', nested: { list: [1, { deep: [] }, 'x'], empty: {} }, unicode: 'Zürich – 東京 \u2028 😀' },
  { id: 'c', escaped: '\\"}]', n: -1.5e3, t: true, f: false, z: null },
];

describe('JSON Lines pages of a snapshot folder', () => {
  it('reads each page as JSON.parse would, however its records are spelled', async () => {
    const lines = [
      JSON.stringify({ value: tricky }),
      JSON.stringify({ value: [] }),
      // Other spellings take the general path and read the same.
      `{ "value" : ${JSON.stringify(tricky, null, 2).replace(/\n/g, ' ')} }`,
      JSON.stringify({ '@odata.nextLink': 'x', value: tricky.slice(0, 1) }),
      JSON.stringify({ value: [1, 'two', null] }),
    ];
    const text = `${lines.join('\n')}\n\n   \n`;
    expect(await read(text)).toEqual(lines.map((line) => (JSON.parse(line) as { value: unknown[] }).value));
    // CRLF endings, no final newline, and lines longer than the buffer (it grows).
    expect(await read(lines.join('\r\n'), 16)).toEqual(
      lines.map((line) => (JSON.parse(line) as { value: unknown[] }).value),
    );
  });

  it('ends a line at a lone CR, as readline does', async () => {
    expect(await read('{"value":[{"id":"a"}]}\r{"value":[{"id":"b"}]}\n')).toEqual([[{ id: 'a' }], [{ id: 'b' }]]);
  });

  it('names the file and line of a bad page', async () => {
    expect(await failure('{"value":[]}\n{"value":[{"id":"a"},]}\n')).toMatch(/^signIns\.jsonl:2: invalid JSON/);
    expect(await failure('{"value":[{"id":"a"}]}x\n')).toMatch(/^signIns\.jsonl:1: invalid JSON/);
    expect(await failure('{"value":[{"id":"a"}]\n')).toMatch(/^signIns\.jsonl:1: invalid JSON/);
    expect(await failure('\n[1]\n')).toBe('signIns.jsonl:2: each line must be a JSON object');
    expect(await failure('{"value":{}}\n')).toBe('signIns.jsonl:1: /value: must be an array of sign-ins');
  });

  it('reports a file that cannot be read', async () => {
    const stream = graphPageLines(path.join(await tempDir(), 'missing.jsonl'));
    await expect(async () => {
      for await (const page of stream.pages()) expect(page).toBeUndefined();
    }).rejects.toThrow(/cannot read snapshot file/);
  });
});
