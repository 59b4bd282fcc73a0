import { describe, expect, it } from 'vitest';
import { renderFindingIssue } from '../../src/issues/render.js';
import type { Result } from '../../src/model/result.js';
import {
  assignment,
  DOMAIN,
  EXO,
  fullAccess,
  GRAPH,
  GRAPH_SP_ID,
  goldenTenant,
  judge,
  servicePrincipal,
  transportRule,
  VENDOR_TENANT,
} from '../checks/mail-access-tenant.js';
import { parseHtml, renderGfm, scannedText, renderingProblems } from '../helpers/gfm.js';
import { demoPolicy, place, report, shown } from './report-fixture.js';

/*
 * Names an attacker chooses (a multi-tenant app's display name and publisher, a mail-flow rule's
 * name, an account in the audit bypass list, a delegate) reach the issue of each new control as
 * text: no element, link, mention, reference, comment or escape artefact comes from them, and
 * they are shown whole.
 */

const HOSTILE = '@security-team <img src=x onerror=alert(1)> [click](https://evil.example) | #1 <!-- x --> `tick`';
const SHOWN = '<img src=x onerror=alert(1)>';

const APP = { appId: 'c2000000-0000-4000-8000-000000000009', id: 'd2000000-0000-4000-8000-000000000009' };

function hostileTenant() {
  const t = goldenTenant();
  t['graph.servicePrincipals'].push(
    servicePrincipal(APP, HOSTILE, { appOwnerOrganizationId: VENDOR_TENANT, publisherName: HOSTILE }),
  );
  t['graph.appRoleAssignedTo'].push(assignment(APP, 'graph', GRAPH['Mail.ReadWrite']));
  t['graph.appRoleAssignedTo'].push(assignment(APP, 'exo', EXO.full_access_as_app));
  t['graph.oauth2PermissionGrants'].push({
    id: 'grant-hostile',
    clientId: APP.id,
    consentType: 'AllPrincipals',
    principalId: null,
    resourceId: GRAPH_SP_ID,
    scope: 'Mail.Read',
  });
  t['exo.transportRule'].push(transportRule(HOSTILE, { BlindCopyTo: ['archive@gmail.example'], Priority: 3 }));
  t['exo.mailboxPermission'].push(fullAccess('adele', HOSTILE));
  t['exo.mailboxAuditBypassAssociation'].push({ Identity: HOSTILE, Name: HOSTILE, AuditBypassEnabled: true });
  return t;
}

describe('hostile tenant names in the mailbox-access and audit issues', () => {
  it.each([
    ['apps.mail-access', `app/${APP.appId}`],
    ['apps.user-consent', `app/${APP.appId}`],
    ['forwarding.transport-rules', `transport-rule/${HOSTILE}`],
    ['mailbox.delegation', `adele@${DOMAIN}/${HOSTILE}`],
    ['audit.mailbox-auditing', `audit-bypass/${HOSTILE}`],
  ])('%s shows them as text, whole', async (control, target) => {
    const results = await judge(control, hostileTenant());
    const failing = results.filter((r): r is Result => r.status === 'fail' && r.target.includes(target));
    expect(
      failing.map((r) => r.target),
      JSON.stringify(results.map((r) => [r.target, r.status])),
    ).toEqual([target]);
    const [one] = shown(report(failing)).results;
    if (one === undefined) throw new Error('no result');
    const issue = renderFindingIssue(
      one,
      { ...demoPolicy(), place: place() },
      {
        firstSeen: '2026-11-27',
        lastSeen: '2026-11-27',
        runUrl: 'https://github.com/contoso/it-audit/actions/runs/1',
        status: 'open',
        reopenedAfterManualClose: false,
      },
    );
    expect(renderingProblems(issue.body)).toEqual([]);
    expect(issue.title).not.toMatch(/[`<>\n]/);
    // The name is shown, whole, as text (mentions are broken with a zero-width joiner).
    expect(scannedText(parseHtml(renderGfm(issue.body))).replaceAll('\u200d', '')).toContain(SHOWN);
  });
});
