import type { JsonObject } from '../model/json.js';

/** One comparison of a `$filter`, e.g. `createdDateTime ge 2026-11-26T00:00:00Z`. */
export interface FilterClause {
  readonly property: string;
  readonly operator: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';
  readonly value: string | number | boolean | null;
  /** The literal was an unquoted date-time: compare as instants. */
  readonly isDateTime: boolean;
}

export type FilterOperator = FilterClause['operator'];

/** What an endpoint accepts in `$filter`: property → operators. */
export type FilterSupport = Readonly<Record<string, readonly FilterOperator[]>>;

export class ODataQueryError extends Error {}

const CLAUSE =
  /^([A-Za-z][A-Za-z0-9]*(?:\/[A-Za-z][A-Za-z0-9]*)*)\s+(eq|ne|ge|gt|le|lt)\s+('(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))$/;

/**
 * Parses the `$filter` subset the collectors send: comparisons joined by `and`, no
 * parentheses, functions or lambdas. Anything else is refused the way Graph refuses a
 * filter it does not support, so a collector that drifts from the subset is caught in tests.
 */
export function parseFilter(text: string, support: FilterSupport): readonly FilterClause[] {
  const parts = splitAnd(text.trim());
  return parts.map((part) => {
    const match = CLAUSE.exec(part.trim());
    if (match === null) throw new ODataQueryError(`Invalid filter clause: ${part.trim()}`);
    const [, property = '', operator = 'eq', literal = ''] = match;
    const allowed = support[property];
    if (allowed === undefined || !allowed.includes(operator as FilterOperator)) {
      throw new ODataQueryError(
        `Unsupported or invalid query filter clause specified for property '${property}' with operator '${operator}'.`,
      );
    }
    let value: FilterClause['value'];
    let isDateTime = false;
    if (literal.startsWith("'")) value = literal.slice(1, -1).replaceAll("''", "'");
    else if (literal === 'true' || literal === 'false') value = literal === 'true';
    else if (literal === 'null') value = null;
    else if (/^\d{4}-/.test(literal)) {
      if (Number.isNaN(Date.parse(literal))) throw new ODataQueryError(`Invalid date-time literal: ${literal}`);
      value = literal;
      isDateTime = true;
    } else value = Number(literal);
    return { property, operator: operator as FilterOperator, value, isDateTime };
  });
}

function splitAnd(text: string): string[] {
  // Split on " and " outside quoted strings.
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "'") quoted = !quoted;
    if (!quoted && text.slice(i, i + 5).toLowerCase() === ' and ') {
      parts.push(current);
      current = '';
      i += 4;
      continue;
    }
    if (!quoted && (char === '(' || char === ')'))
      throw new ODataQueryError('Invalid filter clause: parentheses and functions are not supported');
    current += char;
  }
  parts.push(current);
  if (parts.some((p) => p.trim() === '')) throw new ODataQueryError('Invalid filter clause: empty comparison');
  return parts;
}

function valueAt(item: JsonObject, property: string): unknown {
  let value: unknown = item;
  for (const key of property.split('/')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as JsonObject)[key];
  }
  return value;
}

function compare(left: unknown, clause: FilterClause): boolean {
  const right = clause.value;
  if (clause.operator === 'eq' || clause.operator === 'ne') {
    let equal: boolean;
    if (clause.isDateTime && typeof left === 'string') equal = Date.parse(left) === Date.parse(String(right));
    else if (typeof left === 'string' && typeof right === 'string') equal = left.toLowerCase() === right.toLowerCase();
    else equal = (left ?? null) === right;
    return clause.operator === 'eq' ? equal : !equal;
  }
  let a: number;
  let b: number;
  if (clause.isDateTime) {
    if (typeof left !== 'string') return false;
    a = Date.parse(left);
    b = Date.parse(String(right));
  } else if (typeof left === 'number' && typeof right === 'number') {
    a = left;
    b = right;
  } else if (typeof left === 'string' && typeof right === 'string') {
    a = left.localeCompare(right);
    b = 0;
  } else return false;
  switch (clause.operator) {
    case 'ge':
      return a >= b;
    case 'gt':
      return a > b;
    case 'le':
      return a <= b;
    default:
      return a < b;
  }
}

export function matchesFilter(item: JsonObject, clauses: readonly FilterClause[]): boolean {
  return clauses.every((clause) => compare(valueAt(item, clause.property), clause));
}

/** `$select`: the listed properties only; a listed property the item lacks comes back null, as in Graph. */
export function applySelect(item: JsonObject, select: readonly string[] | undefined): JsonObject {
  if (select === undefined) return item;
  const out: Record<string, JsonObject[string]> = {};
  if (typeof item['@odata.type'] === 'string') out['@odata.type'] = item['@odata.type'];
  for (const key of select) out[key] = item[key] ?? null;
  return out;
}

/** The system query options of one request. */
export interface ODataQuery {
  readonly top: number | undefined;
  readonly select: readonly string[] | undefined;
  readonly filter: string | undefined;
  readonly expand: string | undefined;
  readonly skiptoken: string | undefined;
  readonly orderby: string | undefined;
  readonly count: boolean;
}

const KNOWN = new Set(['top', 'select', 'filter', 'expand', 'skiptoken', 'orderby', 'count', 'skip']);

/** Reads `$top`, `$select`, … (with or without the `$`, as Graph v1.0 accepts both). */
export function readQuery(params: URLSearchParams): ODataQuery {
  const get = (name: string): string | undefined => params.get(`$${name}`) ?? params.get(name) ?? undefined;
  for (const key of params.keys()) {
    const bare = key.startsWith('$') ? key.slice(1) : key;
    if (key.startsWith('$') && !KNOWN.has(bare)) throw new ODataQueryError(`Query option '${key}' is not supported.`);
  }
  const topText = get('top');
  let top: number | undefined;
  if (topText !== undefined) {
    if (!/^\d+$/.test(topText) || Number(topText) < 1)
      throw new ODataQueryError(`Invalid value '${topText}' for $top query option.`);
    top = Number(topText);
  }
  const selectText = get('select');
  const select =
    selectText === undefined
      ? undefined
      : selectText
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  return {
    top,
    select,
    filter: get('filter'),
    expand: get('expand'),
    skiptoken: get('skiptoken'),
    orderby: get('orderby'),
    count: get('count') === 'true',
  };
}
