import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../src/controls/catalog.js';
import { renderPermissions } from '../../src/docs/permissions-docs.js';
import { GRAPH_SOURCES, type SourceId } from '../../src/snapshot/source-id.js';
import { SOURCE_REQUIREMENTS } from '../../src/snapshot/source-requirements.js';

describe("README's permissions table", () => {
  const section = renderPermissions(CONTROLS);
  const row = (permission: string) => section.split('\n').find((l) => l.startsWith(`| \`${permission}\` |`)) ?? '';
  const loop = /for permission in ([^;]+);/.exec(section)?.[1]?.split(' ') ?? [];

  it('lists every Graph permission a control reads, required or optional, and grants each in the loop', () => {
    const graph = new Set<SourceId>(GRAPH_SOURCES);
    for (const control of CONTROLS) {
      const read = [...control.sources, ...(control.optionalSources ?? []), ...control.targets.sources];
      for (const source of read.filter((s) => graph.has(s))) {
        for (const permission of SOURCE_REQUIREMENTS[source].permission.match(
          /\b[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+\b/g,
        ) ?? []) {
          expect(row(permission), `${permission} (${source}, ${control.id})`).toContain(`\`${control.id}\``);
          expect(loop, permission).toContain(permission);
        }
      }
    }
  });

  it("names this tool's own mail permissions: Mail.ReadBasic.All (folder names, optional) and MailboxSettings.Read", () => {
    expect(row('Mail.ReadBasic.All')).toContain('`forwarding.concealment-rules` (optional)');
    expect(row('MailboxSettings.Read')).toContain('`forwarding.inbox-rules`');
    expect(row('MailboxSettings.Read')).not.toContain('(optional)');
  });

  it('gives the mailbox-access reads with their least-privileged permissions', () => {
    expect(row('Application.Read.All')).toContain('/appRoleAssignedTo');
    expect(row('Application.Read.All')).toContain('`apps.mail-access`');
    expect(row('Policy.Read.All')).toContain('GET /policies/authorizationPolicy');
    expect(row('Directory.Read.All')).toContain("consentType eq 'AllPrincipals'");
    for (const cmdlet of [
      'Get-TransportRule',
      'Get-MailboxPermission -Identity {mailbox}',
      'Get-RecipientPermission -AccessRights SendAs',
      'Get-OrganizationConfig',
      'Get-MailboxAuditBypassAssociation',
      'Get-AdminAuditLogConfig',
      'Get-ApplicationAccessPolicy',
    ]) {
      expect(section, cmdlet).toContain(`| \`${cmdlet}\` |`);
    }
  });
});
