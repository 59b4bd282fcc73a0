import { auditControls } from './audit.js';
import type { ControlDefinition } from './control.js';
import { dkimControls } from './dkim.js';
import { dmarcControls } from './dmarc.js';
import { domainsControls } from './domains.js';
import { forwardingControls } from './forwarding.js';
import { legacyAuthControls } from './legacy-auth.js';
import { mailAccessControls } from './mail-access.js';
import { mfaControls } from './mfa.js';
import { signInsControls } from './sign-ins.js';
import { spfControls } from './spf.js';

/** The control catalog, in documentation order. A control is listed only when its check exists. */
export const CONTROLS: readonly ControlDefinition[] = [
  ...mfaControls,
  ...legacyAuthControls,
  ...signInsControls,
  ...forwardingControls,
  ...mailAccessControls,
  ...auditControls,
  ...spfControls,
  ...dkimControls,
  ...dmarcControls,
  ...domainsControls,
];

const BY_ID = new Map(CONTROLS.map((control) => [control.id, control]));

export function findControl(id: string): ControlDefinition | undefined {
  return BY_ID.get(id);
}
