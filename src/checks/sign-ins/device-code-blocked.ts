import type { Finding } from '../../model/finding.js';
import type { CheckInput } from '../check.js';
import { transferMethods } from '../conditional-access/ca-conditions.js';
import { blockGrantProblems } from '../conditional-access/ca-grant.js';
import {
  judgeTenantRequirement,
  requirementFinding,
  type TenantCaRequirement,
} from '../conditional-access/tenant-ca-requirement.js';

/**
 * Every device-code sign-in of All users to All cloud apps from modern clients, blocked.
 *
 * The flow is an OAuth 2.0 grant (RFC 8628), so only modern clients can use it; the legacy
 * client-app types are legacy-auth.blocked's concern. A policy limited to some flows
 * (`conditions.authenticationFlows.transferMethods`, a flags string such as
 * "deviceCodeFlow,authenticationTransfer") counts here when deviceCodeFlow is among them, and
 * only here: the requirements of mfa.enforcement and legacy-auth.blocked set `everyFlow`, which
 * keeps it out of them (learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows).
 * A block of every sign-in with no flow condition blocks this flow too.
 */
export const DEVICE_CODE_BLOCK: TenantCaRequirement = {
  slice: [
    ['flow', ['deviceCodeFlow']],
    ['clientApp', ['browser', 'mobileAppsAndDesktopClients']],
  ],
  grantProblems: blockGrantProblems,
  // Any flow-scoped policy attempts this requirement: one limited to authenticationTransfer alone explains a failure.
  isCandidate: (p) => transferMethods(p).length > 0,
  everyFlow: false,
  doing: 'block the device-code flow for All users and All cloud apps',
};

/**
 * `sign-ins.device-code-blocked`: enabled CA policies, alone or together, block the device-code
 * flow. Security defaults do not block it, so they are no shortcut here.
 */
export function deviceCodeBlocked({ snapshot, params }: CheckInput): readonly Finding[] {
  const { verdict, candidates, evidence, allowedNarrowing } = judgeTenantRequirement(
    snapshot,
    params,
    DEVICE_CODE_BLOCK,
  );
  return [requirementFinding(verdict, candidates, DEVICE_CODE_BLOCK, evidence, allowedNarrowing)];
}
