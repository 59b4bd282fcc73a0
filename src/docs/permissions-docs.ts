import type { ControlDefinition } from '../controls/control.js';
import { EXCHANGE_SOURCES, GRAPH_SOURCES, type SourceId } from '../snapshot/source-id.js';
import { SOURCE_REQUIREMENTS } from '../snapshot/source-requirements.js';
import { LICENCE_NAMES } from '../snapshot/source-status.js';

const START = '<!-- permissions:start (generated from the catalog by `npm run gen`) -->';
const END = '<!-- permissions:end -->';

/**
 * Every Microsoft Graph application permission the catalog's controls need, with the controls
 * that need it and those that read it only optionally (a source in `optionalSources`, or one the
 * control names among its targets: without it the control still runs, with less).
 */
export function graphPermissions(
  controls: readonly ControlDefinition[],
): Map<string, { sources: Set<SourceId>; controls: Set<string>; optional: Set<string> }> {
  const out = new Map<string, { sources: Set<SourceId>; controls: Set<string>; optional: Set<string> }>();
  const graph = new Set<SourceId>(GRAPH_SOURCES);
  for (const control of controls) {
    const required = new Set(control.sources);
    const read = [...new Set([...control.sources, ...(control.optionalSources ?? []), ...control.targets.sources])];
    for (const source of read) {
      if (!graph.has(source)) continue;
      // Permission names inside the requirement text, e.g. "MailboxSettings.Read (and optionally Mail.ReadBasic.All)".
      for (const permission of SOURCE_REQUIREMENTS[source].permission.match(
        /\b[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+\b/g,
      ) ?? []) {
        const entry = out.get(permission) ?? { sources: new Set(), controls: new Set(), optional: new Set() };
        entry.sources.add(source);
        (required.has(source) ? entry.controls : entry.optional).add(control.id);
        out.set(permission, entry);
      }
    }
  }
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function licences(sources: Iterable<SourceId>): string {
  const names = new Set(
    [...sources].flatMap((s) => {
      const licence = SOURCE_REQUIREMENTS[s].licence;
      return licence ? [LICENCE_NAMES[licence]] : [];
    }),
  );
  return [...names].join(', ');
}

/** Every Exchange cmdlet the catalog's controls run, with the controls that need (or optionally read) it. */
export function exchangeCmdlets(
  controls: readonly ControlDefinition[],
): Map<SourceId, { required: Set<string>; optional: Set<string> }> {
  const out = new Map<SourceId, { required: Set<string>; optional: Set<string> }>();
  const exchange = new Set<SourceId>(EXCHANGE_SOURCES);
  for (const control of controls) {
    const add = (source: SourceId, kind: 'required' | 'optional'): void => {
      if (!exchange.has(source)) return;
      const entry = out.get(source) ?? { required: new Set(), optional: new Set() };
      entry[kind].add(control.id);
      out.set(source, entry);
    };
    for (const source of control.sources) add(source, 'required');
    for (const source of control.optionalSources ?? []) add(source, 'optional');
  }
  return new Map(
    [...out.entries()].sort(([a], [b]) =>
      SOURCE_REQUIREMENTS[a].endpoint.localeCompare(SOURCE_REQUIREMENTS[b].endpoint),
    ),
  );
}

function exchangeTable(controls: readonly ControlDefinition[]): string[] {
  const rows = [...exchangeCmdlets(controls).entries()].map(([source, entry]) => {
    const names = [
      ...[...entry.required].sort().map((c) => `\`${c}\``),
      ...[...entry.optional]
        .filter((c) => !entry.required.has(c))
        .sort()
        .map((c) => `\`${c}\` (optional)`),
    ];
    return `| \`${SOURCE_REQUIREMENTS[source].endpoint}\` | ${names.join(', ')} |`;
  });
  return [
    'Exchange cmdlets run through the Exchange admin API (`InvokeCommand`), each needing the Office 365 Exchange Online',
    'application permission `Exchange.ManageAsApp` and an Exchange role that includes the cmdlet (the Global Reader',
    "role is Microsoft's supported read-only role for app-only access; where a cmdlet is refused as unavailable, the",
    'source is `not_permitted` and `Get-ManagementRole -Cmdlet <cmdlet>` names the role to assign):',
    '',
    '| Exchange cmdlet | Controls |',
    '| --- | --- |',
    ...rows,
  ];
}

/** The README section: the permission table and the command that grants them all. */
export function renderPermissions(controls: readonly ControlDefinition[]): string {
  const permissions = graphPermissions(controls);
  const rows = [...permissions.entries()].map(
    ([permission, entry]) =>
      `| \`${permission}\` | ${[...entry.sources].map((s) => `\`${SOURCE_REQUIREMENTS[s].endpoint}\``).join('<br>')} | ${[
        ...[...entry.controls].sort().map((c) => `\`${c}\``),
        ...[...entry.optional]
          .filter((c) => !entry.controls.has(c))
          .sort()
          .map((c) => `\`${c}\` (optional)`),
      ].join(', ')} | ${licences(entry.sources)} |`,
  );
  const names = [...permissions.keys()].join(' ');
  return [
    START,
    '',
    '| Graph application permission | Endpoint | Controls | Licence |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    'Grant them all to the app registration and give admin consent (Azure CLI; `00000003-…` is Microsoft Graph):',
    '',
    '```bash',
    'APP_ID=<application-client-id>',
    'GRAPH=00000003-0000-0000-c000-000000000000',
    `for permission in ${names}; do`,
    `  role=$(az ad sp show --id "$GRAPH" --query "appRoles[?value=='$permission'].id" -o tsv)`,
    '  az ad app permission add --id "$APP_ID" --api "$GRAPH" --api-permissions "$role=Role"',
    'done',
    'az ad app permission admin-consent --id "$APP_ID"',
    '```',
    '',
    ...exchangeTable(controls),
    '',
    END,
  ].join('\n');
}

/** Replaces the generated permissions section of the README. */
export function updatePermissions(readme: string, controls: readonly ControlDefinition[]): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md has no permissions markers');
  return `${readme.slice(0, start)}${renderPermissions(controls)}${readme.slice(end + END.length)}`;
}
