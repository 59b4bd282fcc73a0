import * as core from '@actions/core';
import { maskedParts } from '../model/secrets.js';
import type { Logger } from '../logger.js';

/** The Actions runner's log: workflow commands for warnings and errors, masking for secrets. */
export function actionsLogger(): Logger {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    secret: (value) => {
      // Masking is per line, so a multi-line secret (a PEM certificate) is masked line by line.
      for (const part of maskedParts(value)) core.setSecret(part);
    },
  };
}
