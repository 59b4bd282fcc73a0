import * as core from '@actions/core';
import { maskedParts } from '../model/secrets.js';
import type { Logger } from '../logger.js';

/**
 * The Actions runner's log: each stage of the run folds into a group, warnings and errors are
 * workflow commands (annotations), secrets are masked. GitHub shows ten annotations of each
 * kind per step, so inside the collection stage a warning is a plain line: the run logs one
 * error or warning per cause once collection ends (report/source-problems.ts).
 */
export function actionsLogger(): Logger {
  let stage: string | undefined;
  const collecting = () => stage?.startsWith('Collect') === true;
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => (collecting() ? core.info(`warning: ${m}`) : core.warning(m)),
    error: (m) => (collecting() ? core.info(`error: ${m}`) : core.error(m)),
    secret: (value) => {
      // Masking is per line, so a multi-line secret (a PEM certificate) is masked line by line.
      for (const part of maskedParts(value)) core.setSecret(part);
    },
    stage: (title) => {
      if (stage !== undefined) core.endGroup();
      stage = title;
      if (title !== undefined) core.startGroup(title);
    },
  };
}
