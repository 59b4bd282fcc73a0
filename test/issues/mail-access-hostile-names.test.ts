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
import {
  allElements,
  comments,
  ESCAPE_ARTEFACTS,
  GITHUB_AUTOLINKS,
  parseHtml,
  renderGfm,
  scannedText,
} from '../helpers/gfm.js';
import { demoPolicy, place, report, shown } from './report-fixture.js';

/*
 * Names an attacker chooses (a multi-tenant app's display name and publisher, a mail-flow rule's
 * name, an account in the audit bypass list, a delegate) reach the issue of each new control as
 * text: no element, link, mention, reference, comment or escape artefact comes from them, and
 * they are shown whole.
 */

const HOSTILE = '@security-team <img src=x onerror=alert(1)> [click](https://evil.example) | #1 <!-- x --> `tick`';
const SHOWN = '<img src=x onerror=alert(1)>';

/** Elements our templates write; anything else came from tenant text. */
const OUR_ELEMENTS = new Set([
  'p',
  'h2',
  'h3',
  'strong',
  'code',
  'pre',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'blockquote',
  'a',
  'details',
  'summary',
  'br',
  'em',
]);

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

function problems(markdown: string): string[] {
  const page = parseHtml(renderGfm(markdown));
  const out: string[] = [];
  for (const { element } of allElements(page)) {
    if (!OUR_ELEMENTS.has(element.tag)) out.push(`element <${element.tag}>`);
    if (element.tag === 'a' && /evil/.test(element.attrs.href ?? '')) out.push(`link ${element.attrs.href}`);
  }
  for (const c of comments(page)) if (!/^ mailwarden:(fingerprint|state)=/.test(c)) out.push(`comment <!--${c}-->`);
  const scanned = scannedText(page);
  for (const [name, pattern] of [...GITHUB_AUTOLINKS, ...ESCAPE_ARTEFACTS]) {
    const m = pattern.exec(scanned);
    if (m) out.push(`${name}: …${scanned.slice(Math.max(0, m.index - 30), m.index + 30)}…`);
  }
  for (const { element } of allElements(page).filter((e) => e.element.tag === 'table')) {
    const widths = allElements(element)
      .filter((e) => e.element.tag === 'tr')
      .map((e) => e.element.children.filter((c) => c.kind === 'element').length);
    if (new Set(widths).size > 1) out.push(`table rows of ${[...new Set(widths)].join(', ')} cells`);
  }
  return out;
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
    expect(problems(issue.body)).toEqual([]);
    expect(issue.title).not.toMatch(/[`<>\n]/);
    // The name is shown, whole, as text (mentions are broken with a zero-width joiner).
    expect(scannedText(parseHtml(renderGfm(issue.body))).replaceAll('\u200d', '')).toContain(SHOWN);
  });
});
