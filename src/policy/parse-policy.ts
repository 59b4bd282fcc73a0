import { createHash } from 'node:crypto';
import { CONTROLS, findControl } from '../controls/catalog.js';
import { PARAMETER_FORMATS } from '../controls/parameter-formats.js';
import { ControlParams } from '../controls/params.js';
import { ConfigurationError } from '../errors.js';
import { decodeUtf8 } from '../model/input-file.js';
import { normaliseDomain } from '../model/domain-name.js';
import { isJsonObject, type Json, type JsonObject } from '../model/json.js';
import { isSeverity } from '../model/severity.js';
import { createAjv, type ErrorObject, type ValidateFunction } from '../model/json-schema.js';
import { exceptionExpired, expiryTooFarProblem, reasonProblem } from './exceptions.js';
import { escapePointerSegment, parseLocatedJson, pointerSegments, type LocatedJson } from '../json/json-locations.js';
import type { Policy, PolicyControl, PolicyException } from './policy.js';
import { buildPolicySchema, DEFAULT_MAX_EXCEPTION_DAYS, DEFAULT_MIN_EXCEPTION_REASON_LENGTH } from './policy-schema.js';
import type { ControlReferences } from '../controls/control.js';

const MAX_LISTED_ERRORS = 10;

export interface ParsedPolicy {
  readonly policy: Policy;
  /** Problems that do not stop the run: expired exceptions, for example. */
  readonly warnings: readonly string[];
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // Every violation at once, and the parameters' own formats (CIDR blocks, country codes).
    const ajv = createAjv({ allErrors: true, formats: PARAMETER_FORMATS });
    compiled = ajv.compile(buildPolicySchema(CONTROLS));
  }
  return compiled;
}

/** How a format failure reads: what the value should have been. */
const FORMAT_NAMES: Readonly<Record<string, string>> = {
  cidr: 'an IPv4 or IPv6 CIDR block such as 198.51.100.0/24',
  'iso-3166-alpha-2': 'an ISO 3166-1 alpha-2 country code such as US or GB',
  hostname: 'a host name such as contoso.com',
  uuid: 'an object ID (a GUID)',
  uri: 'a URI such as mailto:reports@contoso.com',
  date: 'a date YYYY-MM-DD',
};

function describeSchemaError(error: ErrorObject, document: unknown): { pointer: string; message: string } {
  if (error.keyword === 'format') {
    const format = String((error.params as { format?: string }).format);
    const value = valueAt(document, error.instancePath);
    return {
      pointer: error.instancePath,
      message: `${JSON.stringify(value)} is not ${FORMAT_NAMES[format] ?? `a valid ${format}`}`,
    };
  }
  if (error.keyword === 'minLength' && (error.params as { limit?: number }).limit === 1) {
    return { pointer: error.instancePath, message: 'must not be empty' };
  }
  if (error.keyword === 'additionalProperties') {
    const property = String((error.params as { additionalProperty?: string }).additionalProperty);
    return {
      pointer: `${error.instancePath}/${escapePointerSegment(property)}`,
      message: `unknown property "${property}"`,
    };
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: string }).missingProperty);
    return { pointer: error.instancePath, message: `missing required property "${missing}"` };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return {
      pointer: error.instancePath,
      message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  return { pointer: error.instancePath, message: error.message ?? error.keyword };
}

/** The value at a JSON pointer of a parsed document, for messages. */
function valueAt(document: unknown, pointer: string): unknown {
  let value = document;
  for (const segment of pointerSegments(pointer)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[String(segment)];
  }
  return value;
}

function listErrors(
  file: string,
  located: LocatedJson,
  problems: readonly { pointer: string; message: string }[],
): string[] {
  const lines = problems
    .slice(0, MAX_LISTED_ERRORS)
    .map((p) => `${file}:${located.lineOf(p.pointer)}: ${p.pointer || '/'}: ${p.message}`);
  if (problems.length > MAX_LISTED_ERRORS) lines.push(`and ${problems.length - MAX_LISTED_ERRORS} more`);
  return lines;
}

function stringList(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Parses and validates a policy: strict JSON, then the schema (all violations, each with its
 * line and JSON pointer), then meaning (unknown control IDs, exceptions). Throws a
 * `ConfigurationError` before any network call when the policy cannot be used.
 */
export function parsePolicy(source: string | Uint8Array, file: string, now: Date): ParsedPolicy {
  // The hash and the evidence copy are of these exact bytes; the text is their strict decoding.
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  const text = typeof source === 'string' ? source : decodeUtf8(source, file, 'policy file');
  const located = parseLocatedJson(text, file);
  const validate = validator();
  if (!validate(located.value)) {
    const errors = validate.errors ?? [];
    const empty = new Set(errors.filter((e) => e.keyword === 'minLength').map((e) => e.instancePath));
    const problems = errors
      // A failed `if`/`anyOf` repeats its branches' errors; the branch errors are the useful ones.
      .filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf')
      // An empty string is "must not be empty", not also "is not a host name".
      .filter((e) => !(e.keyword === 'format' && empty.has(e.instancePath)))
      .map((e) => describeSchemaError(e, located.value));
    throw new ConfigurationError(
      `${file}: policy does not match policies/policy.schema.json (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      listErrors(file, located, problems),
    );
  }
  const document = located.value as JsonObject;
  const problems: { pointer: string; message: string }[] = [];
  const warnings: string[] = [];

  const settings = isJsonObject(document.settings) ? document.settings : {};
  const maxExceptionDays =
    typeof settings.maxExceptionDays === 'number' ? settings.maxExceptionDays : DEFAULT_MAX_EXCEPTION_DAYS;
  const minExceptionReasonLength =
    typeof settings.minExceptionReasonLength === 'number'
      ? settings.minExceptionReasonLength
      : DEFAULT_MIN_EXCEPTION_REASON_LENGTH;

  const controls = new Map<string, PolicyControl>();
  const controlEntries = isJsonObject(document.controls) ? document.controls : {};
  for (const [id, entry] of Object.entries(controlEntries)) {
    const pointer = `/controls/${escapePointerSegment(id)}`;
    const definition = findControl(id);
    if (!definition) {
      const near = CONTROLS.map((c) => c.id).filter((c) => c.split('.')[0] === id.split('.')[0]);
      problems.push({
        pointer,
        message: `unknown control ID "${id}"${near.length > 0 ? ` (known in this family: ${near.join(', ')})` : ''}`,
      });
      continue;
    }
    if (!isJsonObject(entry)) continue;
    const params: Record<string, Json> = {};
    for (const [name, parameter] of Object.entries(definition.parameters)) {
      params[name] = (entry[name] ?? parameter.schema.default) as Json;
    }
    const severity =
      typeof entry.severity === 'string' && isSeverity(entry.severity) ? entry.severity : definition.defaultSeverity;
    const mappingsEntry = isJsonObject(entry.mappings) ? entry.mappings : {};
    const mappings: ControlReferences = {
      scuba: stringList(mappingsEntry.scuba),
      cis: stringList(mappingsEntry.cis),
      hipaa: stringList(mappingsEntry.hipaa),
      nist: stringList(mappingsEntry.nist),
    };
    controls.set(id, {
      id,
      enabled: entry.enabled === true,
      severity,
      params: new ControlParams(params),
      mappings,
      line: located.lineOf(pointer),
    });
  }

  const exceptions: PolicyException[] = [];
  const exceptionEntries = Array.isArray(document.exceptions) ? document.exceptions : [];
  exceptionEntries.forEach((entry, index) => {
    if (!isJsonObject(entry)) return;
    const pointer = `/exceptions/${index}`;
    const exception: PolicyException = {
      control: String(entry.control),
      target: String(entry.target),
      reason: String(entry.reason).trim(),
      approvedBy: String(entry.approvedBy).trim(),
      expires: String(entry.expires),
      ...(typeof entry.ticket === 'string' ? { ticket: entry.ticket } : {}),
      pointer,
    };
    if (!findControl(exception.control)) {
      problems.push({ pointer: `${pointer}/control`, message: `unknown control ID "${exception.control}"` });
      return;
    }
    const weakReason = reasonProblem(exception.reason, minExceptionReasonLength);
    if (weakReason) problems.push({ pointer: `${pointer}/reason`, message: weakReason });
    if (exception.approvedBy === '') {
      problems.push({ pointer: `${pointer}/approvedBy`, message: 'an exception needs an approver' });
    }
    const tooFar = expiryTooFarProblem(exception.expires, now, maxExceptionDays);
    if (tooFar) problems.push({ pointer: `${pointer}/expires`, message: tooFar });
    if (exceptionExpired(exception, now)) {
      warnings.push(
        `${file}:${located.lineOf(pointer)}: ${pointer}: exception for ${exception.control} on "${exception.target}" expired on ${exception.expires}; the finding it covered fails again`,
      );
    }
    if (!controls.get(exception.control)?.enabled) {
      warnings.push(
        `${file}:${located.lineOf(pointer)}: ${pointer}: exception for ${exception.control}, which this policy does not enable`,
      );
    }
    exceptions.push(exception);
  });

  if (![...controls.values()].some((c) => c.enabled)) {
    problems.push({
      pointer: '/controls',
      message:
        'the policy enables no control, so a run would audit nothing; set "enabled": true on at least one (docs/controls.md lists them)',
    });
  }

  if (problems.length > 0) {
    throw new ConfigurationError(
      `${file}: policy is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      listErrors(file, located, problems),
    );
  }

  const domains = isJsonObject(document.domains) ? document.domains : {};
  const policy: Policy = {
    path: file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes,
    text,
    id: String(document.id),
    title: String(document.title),
    version: String(document.version),
    description: typeof document.description === 'string' ? document.description : '',
    controls,
    domains: {
      include: stringList(domains.include).map(normaliseDomain),
      exclude: stringList(domains.exclude).map(normaliseDomain),
      parked: stringList(domains.parked).map(normaliseDomain),
    },
    exceptions,
    maxExceptionDays,
    minExceptionReasonLength,
  };
  return { policy, warnings };
}
