import * as core from '@actions/core';
import { errorMessage } from '../errors.js';

/**
 * GitHub's OIDC token for an audience (workload identity federation): the runner's ID-token
 * endpoint, through @actions/core. Without `permissions: id-token: write` the runner sets no
 * ACTIONS_ID_TOKEN_REQUEST_URL, and the error says so (collect/live/auth-failure.ts names the fix).
 */
export async function githubIdToken(audience: string): Promise<string> {
  try {
    return await core.getIDToken(audience);
  } catch (error: unknown) {
    throw new Error(
      `cannot get a GitHub OIDC token (${errorMessage(error)}); give the job \`permissions: id-token: write\`, or pass client-secret or certificate`,
    );
  }
}
