import { ConfigurationError } from '../errors.js';

/**
 * The shortest value taken as a secret. Entra client secrets are 40 characters, GitHub tokens
 * 40 or more, and a redaction key should be long and random: anything shorter is a typo or a
 * placeholder, and masking it would garble the log (a secret `x` turns `exo.transportConfig`
 * into `e***o.transportConfig` in every line).
 */
export const MIN_SECRET_LENGTH = 8;

/** `value` when it is long enough to be a real secret; otherwise a one-line ConfigurationError. */
export function plausibleSecret(value: string, label: string, what: string): string {
  if (value.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(
      `${label}: ${value.length} character${value.length === 1 ? '' : 's'} is not a plausible ${what} (at least ${MIN_SECRET_LENGTH}); check the value`,
    );
  }
  return value;
}

/**
 * The parts of a secret to mask in logs. Masking is per line (GitHub masks line by line), so a
 * PEM is split into lines; its armour lines (`-----BEGIN …-----`) are not secret, and a part
 * shorter than MIN_SECRET_LENGTH (the short tail of a base64 block) is left alone rather than
 * masked everywhere it happens to occur.
 */
export function maskedParts(value: string): readonly string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(line));
}
