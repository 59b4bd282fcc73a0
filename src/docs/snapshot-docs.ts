import { isJsonObject, type JsonObject } from '../model/json.js';
import { SOURCE_FILES, STREAMED_SOURCES, EMBEDDED_SOURCES } from '../snapshot/folder-layout.js';
import { MANIFEST_SCHEMA } from '../snapshot/schemas/manifest-schema.js';
import { SOURCE_SCHEMAS } from '../snapshot/schemas/source-schemas.js';
import { SOURCE_IDS, type SourceId } from '../snapshot/source-id.js';

/*
 * The field tables of docs/snapshot-format.md, written from the schemas the reader, the live
 * collectors and the simulator check against (src/snapshot/schemas/), so the document cannot
 * drift from what is enforced. `npm run gen` writes them; a test fails when they are stale.
 */

const SOURCES_START = '<!-- source-fields -->';
const SOURCES_END = '<!-- /source-fields -->';
const MANIFEST_START = '<!-- manifest-fields -->';
const MANIFEST_END = '<!-- /manifest-fields -->';

interface Row {
  readonly pointer: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

function typeNames(schema: JsonObject): string[] {
  const type = schema.type;
  if (type === undefined) {
    if (Array.isArray(schema.enum)) return [schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')];
    if (schema.const !== undefined) return [`\`${JSON.stringify(schema.const)}\``];
    return ['any'];
  }
  const names = (Array.isArray(type) ? type : [type]).map(String);
  return names.map((name) => {
    if (name === 'array' && isJsonObject(schema.items) && typeof schema.items.type === 'string')
      return `array of ${schema.items.type}`;
    return name;
  });
}

function typeText(schema: JsonObject): string {
  return typeNames(schema).join(' or ');
}

/** One row per field, depth first, with JSON pointers from the record. */
function rows(schema: JsonObject, prefix: string): Row[] {
  const out: Row[] = [];
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  for (const [name, value] of Object.entries(properties)) {
    if (!isJsonObject(value)) continue;
    const pointer = `${prefix}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    out.push({
      pointer,
      type: typeText(value),
      required: required.has(name),
      description: typeof value.description === 'string' ? value.description : '',
    });
    out.push(...rows(value, pointer));
    if (isJsonObject(value.items) && isJsonObject(value.items.properties))
      out.push(...rows(value.items, `${pointer}/*`));
    if (isJsonObject(value.additionalProperties)) out.push(...rows(value.additionalProperties, `${pointer}/*`));
  }
  return out;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(schema: JsonObject): string[] {
  return [
    '| field | type | required | what it is for |',
    '| --- | --- | --- | --- |',
    ...rows(schema, '').map(
      (r) => `| \`${cell(r.pointer)}\` | ${cell(r.type)} | ${r.required ? 'yes' : ''} | ${cell(r.description)} |`,
    ),
  ];
}

function recordWord(id: SourceId): string {
  if (EMBEDDED_SOURCES.has(id)) return 'Status only';
  if (id === 'graph.signIns') return 'Each sign-in (an item of a line’s `value`)';
  if (id === 'graph.messageRules') return 'Each line (one mailbox)';
  if (STREAMED_SOURCES.has(id)) return 'Each line';
  if (id === 'graph.securityDefaults' || id === 'dns') return 'The object';
  return 'Each item of `value`';
}

/** The per-source field tables. */
export function renderSourceFields(): string {
  const lines: string[] = [];
  for (const id of SOURCE_IDS) {
    const schema = SOURCE_SCHEMAS[id];
    const description = typeof schema.record.description === 'string' ? schema.record.description : '';
    lines.push(`#### \`${id}\`: \`${SOURCE_FILES[id]}\``, '', `${recordWord(id)}: ${description}`, '');
    lines.push(...table(schema.record), '');
    if (schema.rule) {
      const rule = typeof schema.rule.description === 'string' ? schema.rule.description : '';
      lines.push(
        `Each rule, checked on its own by the rule parser (a rule of the wrong shape is an \`error\` for that rule, the others are still judged): ${rule}`,
        '',
        ...table(schema.rule),
        '',
      );
    }
  }
  return lines.join('\n');
}

/** The manifest's field table. */
export function renderManifestFields(): string {
  return `${table(MANIFEST_SCHEMA).join('\n')}\n`;
}

function replaceBetween(text: string, start: string, end: string, content: string, file: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1 || to < from) throw new Error(`${file} lacks the ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n\n${content}\n${text.slice(to)}`;
}

/** docs/snapshot-format.md with its generated tables brought up to date. */
export function updateSnapshotFormat(text: string): string {
  const withSources = replaceBetween(text, SOURCES_START, SOURCES_END, renderSourceFields(), 'docs/snapshot-format.md');
  return replaceBetween(withSources, MANIFEST_START, MANIFEST_END, renderManifestFields(), 'docs/snapshot-format.md');
}
