import { maskedParts } from '../model/secrets.js';
import type { Logger } from '../logger.js';
import type { CliIo } from './io.js';

/** Logs to stderr; registered secrets are masked in every line. */
export function cliLogger(io: CliIo, debug: boolean): Logger {
  const secrets: string[] = [];
  const mask = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  return {
    debug: (m) => {
      if (debug) io.stderr(`debug: ${mask(m)}\n`);
    },
    info: (m) => io.stderr(`${mask(m)}\n`),
    warning: (m) => io.stderr(`warning: ${mask(m)}\n`),
    error: (m) => io.stderr(`error: ${mask(m)}\n`),
    secret: (value) => {
      secrets.push(...maskedParts(value));
    },
  };
}
