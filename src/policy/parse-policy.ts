import { createHash } from 'node:crypto';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import { CONTROLS, findControl } from '../controls/catalog.js';
import { ControlParams } from '../controls/params.js';
import { ConfigurationError } from '../errors.js';
import { normaliseDomain } from '../model/domain-name.js';
import { isJsonObject, type Json, type JsonObject } from '../model/json.js';
import { isSeverity } from '../model/severity.js';
import { exceptionExpired, expiryTooFarProblem, reasonProblem } from './exceptions.js';
import { escapePointerSegment, parseLocatedJson, type LocatedJson } from '../json/json-locations.js';
import type { Policy, PolicyControl, PolicyException } from './policy.js';
import { buildPolicySchema, DEFAULT_MAX_EXCEPTION_DAYS, DEFAULT_MIN_EXCEPTION_REASON_LENGTH } from './policy-schema.js';
import type { ControlReferences } from '../controls/control.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
/** ajv-formats is CommonJS; depending on the loader its function is the default export or nested under it. */
function addFormats(ajv: Ajv2020): void {
  const module = addFormatsModule as unknown as { default: AddFormats | { default: AddFormats } };
  const fn = typeof module.default === 'function' ? module.default : module.default.default;
  fn(ajv);
}

const MAX_LISTED_ERRORS = 10;

export interface ParsedPolicy {
  readonly policy: Policy;
  /** Problems that do not stop the run: expired exceptions, for example. */
  readonly warnings: readonly string[];
}

let compiled: ReturnType<Ajv2020['compile']> | undefined;

function validator(): ReturnType<Ajv2020['compile']> {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    compiled = ajv.compile(buildPolicySchema(CONTROLS));
  }
  return compiled;
}

function describeSchemaError(error: ErrorObject): { pointer: string; message: string } {
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
export function parsePolicy(text: string, file: string, now: Date): ParsedPolicy {
  const located = parseLocatedJson(text, file);
  const validate = validator();
  if (!validate(located.value)) {
    const problems = (validate.errors ?? [])
      // A failed `if`/`anyOf` repeats its branches' errors; the branch errors are the useful ones.
      .filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf')
      .map(describeSchemaError);
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

  if (problems.length > 0) {
    throw new ConfigurationError(
      `${file}: policy is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      listErrors(file, located, problems),
    );
  }

  const domains = isJsonObject(document.domains) ? document.domains : {};
  const policy: Policy = {
    path: file,
    sha256: createHash('sha256').update(text).digest('hex'),
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
