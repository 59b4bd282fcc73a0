import { parse } from 'yaml';

interface ActionMetadata {
  readonly inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  readonly outputs?: Record<string, { description?: string }>;
}

export const ACTION_DOCS_START = '<!-- action-docs:start (generated from action.yml by `npm run gen`) -->';
export const ACTION_DOCS_END = '<!-- action-docs:end -->';

function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** The README's inputs and outputs tables, generated from action.yml so they cannot drift. */
export function renderActionDocs(actionYaml: string): string {
  const action = parse(actionYaml) as ActionMetadata;
  const lines = ['### Inputs', '', '| Input | Required | Default | Description |', '| --- | --- | --- | --- |'];
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const fallback = input.default === undefined ? '' : `\`${cell(String(input.default))}\``;
    lines.push(`| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${fallback} | ${cell(input.description ?? '')} |`);
  }
  lines.push('', '### Outputs', '', '| Output | Description |', '| --- | --- |');
  for (const [name, output] of Object.entries(action.outputs ?? {})) {
    lines.push(`| \`${name}\` | ${cell(output.description ?? '')} |`);
  }
  return [ACTION_DOCS_START, '', ...lines, '', ACTION_DOCS_END].join('\n');
}

/** Replaces the generated block in the README. */
export function updateReadme(readme: string, actionYaml: string): string {
  const start = readme.indexOf(ACTION_DOCS_START);
  const end = readme.indexOf(ACTION_DOCS_END);
  if (start < 0 || end < start) throw new Error('README.md has no action-docs markers');
  return readme.slice(0, start) + renderActionDocs(actionYaml) + readme.slice(end + ACTION_DOCS_END.length);
}
