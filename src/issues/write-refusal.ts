import { errorMessage } from '../errors.js';

/**
 * The message when GitHub refuses a write for lack of permission, or `undefined` for any other
 * failure. A 401, or a 403 that is not a rate limit (GitHub's secondary limits also answer 403,
 * with `retry-after` or "rate limit" in the message: docs.github.com, "Rate limits for the REST
 * API"), means no later write can succeed either: the token lacks `issues: write`.
 */
export function writeRefusal(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response } = error as { status?: unknown; response?: { headers?: Record<string, unknown> } };
  if (status !== 401 && status !== 403) return undefined;
  const message = errorMessage(error);
  if (status === 403 && (/rate limit/i.test(message) || response?.headers?.['retry-after'] !== undefined))
    return undefined;
  return `GitHub refused to write issues (HTTP ${status}: ${message}): the token needs \`issues: write\` (in the workflow: \`permissions: issues: write\`); no further write was attempted`;
}
