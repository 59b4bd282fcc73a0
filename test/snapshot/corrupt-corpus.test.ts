import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { isJsonObject, type Json, type JsonObject } from '../../src/model/json.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import { generateTenant } from '../../src/simulator/generator/generate-tenant.js';
import {
  EMBEDDED_SOURCES,
  MANIFEST_FILE,
  SINGLETON_SOURCES,
  SOURCE_FILES,
  STREAMED_SOURCES,
} from '../../src/snapshot/folder-layout.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import { SOURCE_SCHEMAS } from '../../src/snapshot/schemas/source-schemas.js';
import { SOURCE_IDS, type SourceId } from '../../src/snapshot/source-id.js';

/*
 * A corpus of corrupted snapshots of one small generated tenant: truncation at every line
 * boundary of the two JSON Lines sources, a type swap on every field a schema lists (the
 * fields the checks read), and a count mismatch for every source. Each variant is replayed
 * through the reader and judged; none may give a `pass` the clean snapshot does not give, and
 * each must be seen (a source `failed`, or a new `error`), so no variant passes by missing it.
 */

const SIGN_IN_PAGE = 50;

interface Verdicts {
  readonly passes: ReadonlySet<string>;
  readonly errors: ReadonlySet<string>;
  readonly failedSources: ReadonlySet<SourceId>;
}

let dir = '';
let policy: Policy;
let clean: Verdicts;
const originals = new Map<string, string>();

async function judge(): Promise<Verdicts> {
  const snapshot = await readSnapshotFolder(dir, { now: new Date('2026-11-27T12:00:00Z') });
  const evaluation = await evaluate(snapshot, policy, {
    now: new Date(snapshot.manifest.capturedAt),
    domains: snapshot.manifest.domains ?? [],
  });
  const key = (r: { control: string; target: string }) => `${r.control} ${r.target}`;
  const failed = new Set<SourceId>(
    (Object.entries(snapshot.manifest.sources) as [SourceId, { status: string }][])
      .filter(([, s]) => s.status === 'failed')
      .map(([id]) => id),
  );
  for (const f of evaluation.streamFailures) failed.add(f.source);
  return {
    passes: new Set(evaluation.results.filter((r) => r.status === 'pass').map(key)),
    errors: new Set(evaluation.results.filter((r) => r.status === 'error').map(key)),
    failedSources: failed,
  };
}

const tried = { truncations: 0, countMismatches: 0, typeSwaps: 0, untyped: 0 };

/** Replays the folder with one file replaced, then puts the file back. */
async function variant(relative: string, content: string): Promise<Verdicts> {
  const file = path.join(dir, relative);
  await writeFile(file, content);
  try {
    return await judge();
  } finally {
    await writeFile(file, originals.get(relative) ?? '');
  }
}

function expectNoFalsePass(name: string, got: Verdicts): void {
  const newPasses = [...got.passes].filter((p) => !clean.passes.has(p));
  expect(newPasses, name).toEqual([]);
  const seen = got.failedSources.size > clean.failedSources.size || [...got.errors].some((e) => !clean.errors.has(e));
  expect(seen, `${name}: the corruption went unnoticed`).toBe(true);
}

beforeAll(async () => {
  // Made once for the whole file (tempDir's folders go after each test).
  dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-corpus-'));
  await generateTenant({ out: dir, users: 30, seed: 7, signIns: 300 });
  // Several sign-in pages, so the log can be cut at a line boundary too.
  const signIns = path.join(dir, SOURCE_FILES['graph.signIns']);
  const events = (await readFile(signIns, 'utf8'))
    .trim()
    .split('\n')
    .flatMap((line) => (JSON.parse(line) as { value: Json[] }).value);
  const pages: string[] = [];
  for (let i = 0; i < events.length; i += SIGN_IN_PAGE)
    pages.push(JSON.stringify({ value: events.slice(i, i + SIGN_IN_PAGE) }));
  await writeFile(signIns, `${pages.join('\n')}\n`);
  for (const relative of [MANIFEST_FILE, ...Object.values(SOURCE_FILES)]) {
    originals.set(relative, await readFile(path.join(dir, relative), 'utf8').catch(() => ''));
  }
  policy = (await loadPolicy(DEMO_POLICY_PATH, new Date('2026-11-27T12:00:00Z'))).policy;
  clean = await judge();
}, 60_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  // Printed for the closing note: how many corrupted snapshots were judged.
  console.log(
    `corrupt corpus: ${tried.truncations} truncations, ${tried.countMismatches} count mismatches, ${tried.typeSwaps} type swaps (fields of any type left out: ${tried.untyped})`,
  );
});

describe('the clean snapshot', () => {
  it('is judged with both passes and failures, and no failed source', () => {
    expect(clean.passes.size).toBeGreaterThan(10);
    expect(clean.failedSources.size).toBe(0);
  });
});

describe('truncation at every line boundary of a JSON Lines source', () => {
  for (const id of ['graph.signIns', 'graph.messageRules'] as const) {
    it(`${id}: every prefix of whole lines is seen, and gives no new pass`, async () => {
      const relative = SOURCE_FILES[id];
      const lines = (originals.get(relative) ?? '').trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(3);
      for (let kept = 0; kept < lines.length; kept++) {
        const content = kept === 0 ? '' : `${lines.slice(0, kept).join('\n')}\n`;
        expectNoFalsePass(`${id} cut to ${kept} of ${lines.length} lines`, await variant(relative, content));
        tried.truncations++;
      }
    });
  }
});

describe('a count mismatch for every source', () => {
  it('one record more in the manifest than in the file, source by source', async () => {
    const manifest = JSON.parse(originals.get(MANIFEST_FILE) ?? '') as Manifest;
    let sources = 0;
    for (const id of SOURCE_IDS) {
      const status = manifest.sources[id];
      if (status?.status !== 'ok' || status.count === undefined) continue;
      sources++;
      const changed = { ...manifest, sources: { ...manifest.sources, [id]: { ...status, count: status.count + 1 } } };
      expectNoFalsePass(`${id} count + 1`, await variant(MANIFEST_FILE, JSON.stringify(changed)));
      tried.countMismatches++;
    }
    // Every source but the single objects (no count) and those with no file of their own.
    const singletons = SOURCE_IDS.filter((id) => {
      const status = manifest.sources[id];
      return SINGLETON_SOURCES.has(id) && status?.status === 'ok' && status.count === undefined;
    });
    expect(sources).toBe(SOURCE_IDS.length - singletons.length - EMBEDDED_SOURCES.size);
  });
});

// ---------------------------------------------------------------------------------------------
// Type swaps, driven by the schemas: every field they list, in the first record of its file.

type Schema = JsonObject;

/** Every field of a schema as a pointer; `*` stands for an array item or a map key. */
function fields(schema: Schema, prefix = ''): { pointer: string; schema: Schema }[] {
  const out: { pointer: string; schema: Schema }[] = [];
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [name, value] of Object.entries(properties)) {
    if (!isJsonObject(value)) continue;
    const pointer = `${prefix}/${name}`;
    out.push({ pointer, schema: value });
    out.push(...fields(value, pointer));
    if (isJsonObject(value.items)) out.push(...fields(value.items, `${pointer}/*`));
    if (isJsonObject(value.additionalProperties)) {
      out.push({ pointer: `${pointer}/*`, schema: value.additionalProperties });
      out.push(...fields(value.additionalProperties, `${pointer}/*`));
    }
  }
  return out;
}

/**
 * Whether any value could be of the wrong type: a field described without `type`, `enum` or
 * `const` is read only when it has the expected form and ignored otherwise (a field Graph returns
 * outside its metadata), so no swap can corrupt it.
 */
function typed(schema: Schema): boolean {
  return schema.type !== undefined || schema.enum !== undefined || schema.const !== undefined;
}

/** A value of a JSON type the field's schema does not allow. */
function wrongValue(schema: Schema): Json {
  const type = schema.type;
  const allowed = new Set(Array.isArray(type) ? type.map(String) : type === undefined ? [] : [String(type)]);
  if (allowed.has('integer')) allowed.add('number');
  const candidates: [string, Json][] = [
    ['number', 12345],
    ['string', 'true'],
    ['boolean', true],
    ['array', ['x']],
    ['object', { x: 1 }],
    ['null', null],
  ];
  if (allowed.size === 0) return 12345; // an enum or const of strings
  const found = candidates.find(([name]) => !allowed.has(name));
  if (!found) throw new Error('the schema allows every type');
  return found[1];
}

/** Sets `value` at `pointer` under `root`, making the objects and arrays on the way. */
function setAt(root: JsonObject, pointer: string, value: Json): void {
  const keys = pointer.split('/').slice(1);
  let node = root as Record<string, unknown>;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as string;
    const next = keys[i + 1] as string;
    let child: unknown;
    if (key === '*') {
      // The first item of an array (made if empty), or the first key of a map.
      if (Array.isArray(node)) {
        if (node.length === 0) node.push(next === '*' ? [] : {});
        child = node[0];
      } else {
        const first = Object.keys(node)[0] ?? 'x';
        node[first] ??= {};
        child = node[first];
      }
    } else {
      if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object')
        node[key] = next === '*' ? [] : {};
      child = node[key];
    }
    node = child as Record<string, unknown>;
  }
  const last = keys.at(-1) as string;
  if (last === '*') {
    if (Array.isArray(node)) node[0] = value;
    else node[Object.keys(node)[0] ?? 'x'] = value;
  } else {
    node[last] = value;
  }
}

/** The file of a source with one field of its first record (or first rule) given a wrong type. */
function swapped(id: SourceId, pointer: string, value: Json, rule: boolean): string | undefined {
  const text = originals.get(SOURCE_FILES[id]) ?? '';
  if (id === 'graph.signIns') {
    const lines = text.trimEnd().split('\n');
    const page = JSON.parse(lines[0] ?? '') as { value: JsonObject[] };
    const first = page.value[0];
    if (!first) return undefined;
    setAt(first, pointer, value);
    lines[0] = JSON.stringify(page);
    return `${lines.join('\n')}\n`;
  }
  if (id === 'graph.messageRules') {
    const lines = text.trimEnd().split('\n');
    const index = rule
      ? lines.findIndex((l) => ((JSON.parse(l) as { body: { value?: Json[] } }).body.value ?? []).length > 0)
      : 0;
    if (index < 0) return undefined;
    const line = JSON.parse(lines[index] ?? '') as JsonObject & { body: { value: JsonObject[] } };
    setAt(rule ? (line.body.value[0] as JsonObject) : line, pointer, value);
    lines[index] = JSON.stringify(line);
    return `${lines.join('\n')}\n`;
  }
  const file = JSON.parse(text) as JsonObject;
  if (SINGLETON_SOURCES.has(id)) {
    setAt(file, pointer, value);
    return JSON.stringify(file);
  }
  const first = (file.value as JsonObject[])[0];
  if (!first) return undefined;
  setAt(first, pointer, value);
  return JSON.stringify(file);
}

describe('a type swap on every field the checks read', () => {
  // A source whose data travels in another's records (folder names in messageRules lines) is
  // swapped through that source's schema.
  for (const id of SOURCE_IDS.filter((s) => !EMBEDDED_SOURCES.has(s))) {
    it(`${id}: each field of the wrong type is seen, and gives no new pass`, async () => {
      const schema = SOURCE_SCHEMAS[id];
      const swaps = [
        ...fields(schema.record).map((f) => ({ ...f, rule: false })),
        ...(schema.rule ? fields(schema.rule).map((f) => ({ ...f, rule: true })) : []),
      ].filter((f) => {
        if (typed(f.schema)) return true;
        tried.untyped++;
        return false;
      });
      expect(swaps.length).toBeGreaterThan(0);
      let applied = 0;
      for (const swap of swaps) {
        const content = swapped(id, swap.pointer, wrongValue(swap.schema), swap.rule);
        if (content === undefined) continue;
        applied++;
        const name = `${id}${swap.rule ? ' (rule)' : ''} ${swap.pointer} := ${JSON.stringify(wrongValue(swap.schema))}`;
        expectNoFalsePass(name, await variant(SOURCE_FILES[id], content));
        tried.typeSwaps++;
      }
      // Every listed field was tried, unless the source holds no record at all in this tenant.
      const empty = STREAMED_SOURCES.has(id)
        ? false
        : ((JSON.parse(originals.get(SOURCE_FILES[id]) ?? '{}') as JsonObject).value as Json[] | undefined)?.length ===
          0;
      expect(applied, id).toBe(empty ? 0 : swaps.length);
    });
  }
});
