import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../src/controls/catalog.js';
import { renderCatalogMarkdown, requirementLevel } from '../../src/controls/render-catalog.js';
import { SOURCE_REQUIREMENTS } from '../../src/snapshot/source-requirements.js';

function section(markdown: string, id: string): string {
  const start = markdown.indexOf(`\n## ${id}\n`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe('docs/controls.md', () => {
  const markdown = renderCatalogMarkdown(CONTROLS);

  it.each(CONTROLS.map((c) => [c.id, c] as const))('%s has every part an auditor needs', (id, control) => {
    const text = section(markdown, id);
    expect(text).toContain(`**Requirement (${requirementLevel(control.statement)}).**`);
    expect(requirementLevel(control.statement)).toMatch(/^(SHALL|SHOULD|MUST|MAY)/);
    expect(text).toContain(`> ${control.statement}`);
    expect(text).toContain(`**Rationale.** ${control.rationale}`);
    for (const [name, parameter] of Object.entries(control.parameters)) {
      expect(text).toContain(`| \`${name}\` |`);
      expect(text).toContain(`\`${JSON.stringify(parameter.schema.default)}\``);
    }
    for (const source of control.sources) {
      expect(text).toContain(
        `| \`${source}\` | \`${SOURCE_REQUIREMENTS[source].endpoint}\` | ${SOURCE_REQUIREMENTS[source].permission} |`,
      );
    }
    expect(text).toMatch(/\*\*References\.\*\* \S/);
    expect(text).toContain(`**Remediation.** ${control.remediation}`);
    expect(text).toContain(`**What it cannot see.** ${control.limitations}`);
  });

  it('names the RFC 2119 keyword of a statement', () => {
    expect(requirementLevel('X SHALL NOT be on.')).toBe('SHALL NOT');
    expect(requirementLevel('X SHOULD be on.')).toBe('SHOULD');
    expect(requirementLevel('X is on.')).toBe('none');
  });
});
