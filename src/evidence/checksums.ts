import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The checksum file of an evidence pack, in the format `sha256sum -c` reads. */
export const CHECKSUM_FILE = 'SHA256SUMS';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir`, as sorted POSIX paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Writes SHA256SUMS over every other file in the pack; `sha256sum -c SHA256SUMS` checks it. */
export async function writeChecksums(dir: string): Promise<void> {
  const lines: string[] = [];
  for (const file of await listFiles(dir)) {
    if (file === CHECKSUM_FILE) continue;
    lines.push(`${await sha256File(path.join(dir, file))}  ${file}`);
  }
  await writeFile(path.join(dir, CHECKSUM_FILE), `${lines.join('\n')}\n`);
}

/**
 * Checks SHA256SUMS against the pack. Each problem names the file: a changed file, a file
 * listed but missing, and a file present without a checksum (an addition nobody vouched for).
 */
export async function verifyChecksums(dir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path.join(dir, CHECKSUM_FILE), 'utf8');
  } catch {
    return [`${CHECKSUM_FILE}: missing; the pack cannot be trusted without it`];
  }
  const problems: string[] = [];
  const listed = new Map<string, string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match?.[1] || !match[2]) {
      problems.push(`${CHECKSUM_FILE}:${index + 1}: not a "<sha256>  <file>" line`);
      return;
    }
    listed.set(match[2], match[1]);
  });
  const present = new Set((await listFiles(dir)).filter((f) => f !== CHECKSUM_FILE));
  for (const [file, expected] of listed) {
    if (!present.has(file)) {
      problems.push(`${file}: listed in ${CHECKSUM_FILE} but missing from the pack`);
      continue;
    }
    const actual = await sha256File(path.join(dir, file));
    if (actual !== expected) problems.push(`${file}: changed (sha256 ${actual}, ${CHECKSUM_FILE} says ${expected})`);
  }
  for (const file of present) {
    if (!listed.has(file)) problems.push(`${file}: no checksum in ${CHECKSUM_FILE}`);
  }
  return problems;
}
