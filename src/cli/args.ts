import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { OptionSource } from '../entry/read-settings.js';
import { ConfigurationError, errorMessage } from '../errors.js';

/** A mistake in the command line: printed with the usage text after it. */
export class UsageError extends ConfigurationError {}

type Options = NonNullable<ParseArgsConfig['options']>;

function strictParse<T extends Options>(args: readonly string[], options: T, positionals: number) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: positionals > 0, strict: true });
  } catch (error: unknown) {
    throw new UsageError(errorMessage(error));
  }
}

/** Parses one command's flags strictly; an unknown flag or a stray argument is a UsageError. */
export function parse<T extends Options>(args: readonly string[], options: T, positionals: number) {
  const parsed = strictParse(args, options, positionals);
  if (parsed.positionals.length > positionals)
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  return parsed;
}

/** Parsed flags as an OptionSource for the shared settings parser: `--name` in messages, UsageError on bad values. */
export function flagSource(values: Readonly<Record<string, unknown>>): OptionSource {
  return {
    get: (name) => {
      const value = values[name];
      return typeof value === 'string' ? value : undefined;
    },
    list: (name) => {
      const value = values[name];
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    },
    label: (name) => `--${name}`,
    fail: (message) => new UsageError(message),
  };
}

/** A whole-number flag within bounds; `undefined` when absent. */
export function count(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${flag}: expected a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** What audit and merge-reports share: the exit threshold, SARIF and the issues stage. */
export const PUBLISH_OPTIONS = {
  'fail-on': { type: 'string' },
  sarif: { type: 'string' },
  issues: { type: 'string' },
  repo: { type: 'string' },
  'github-api-url': { type: 'string' },
  labels: { type: 'string' },
  'max-new-issues': { type: 'string' },
  redact: { type: 'string' },
  'tenant-label': { type: 'string' },
  debug: { type: 'boolean' },
} as const satisfies Options;
