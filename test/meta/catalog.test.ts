import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { CONTROLS } from '../../src/controls/catalog.js';
import { FRAMEWORK_ID_PATTERNS, FRAMEWORKS } from '../../src/controls/framework-ids.js';
import { SOURCE_IDS } from '../../src/snapshot/source-id.js';

describe('control catalog', () => {
  it('has exactly one check per control and no orphan checks', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(CONTROLS.map((c) => c.id).sort());
  });

  it('uses fixed, lower-case dotted IDs, unique', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });

  it.each(CONTROLS.map((c) => [c.id, c] as const))('%s is a complete document', (_id, control) => {
    expect(control.statement).toMatch(/\b(SHALL|SHOULD)\b/);
    expect(control.rationale.length).toBeGreaterThan(40);
    expect(control.remediation.length).toBeGreaterThan(20);
    expect(control.limitations.length).toBeGreaterThan(10);
    expect(control.sources.length).toBeGreaterThan(0);
    for (const p of Object.values(control.parameters)) {
      expect(p.schema.description.length).toBeGreaterThan(10);
      expect(p.schema.default).not.toBeUndefined();
    }
    for (const framework of FRAMEWORKS) {
      for (const ref of control.references[framework] ?? [])
        expect(ref).toMatch(new RegExp(FRAMEWORK_ID_PATTERNS[framework]));
    }
  });

  // Close only what was fully read: a control says which sources list its targets, so a run
  // that could not read one of them closes none of its issues (src/evaluate/target-coverage.ts).
  it.each(CONTROLS.map((c) => [c.id, c] as const))(
    '%s declares what its targets are and which sources list them',
    (_id, control) => {
      // A domain is the same target whoever audits it; DNS controls judge domains.
      expect(control.targets.kind === 'domain').toBe(control.dns !== undefined);
      if (control.targets.kind === 'domain') expect(control.targets.sources).toContain('graph.domains');
      // A target source is read by the run like any other (requiredSources): never an unknown ID.
      for (const source of control.targets.sources) expect(SOURCE_IDS).toContain(source);
      expect(new Set(control.targets.sources).size).toBe(control.targets.sources.length);
    },
  );

  // The last step of "Add a control" (docs/architecture.md): a test that runs the check and
  // asserts on its findings, named by the control's ID, outside these meta-tests.
  it('every control is named by a test that asserts on findings, outside test/meta', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const texts: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'meta' && entry.name !== 'fixtures') walk(full);
        } else if (entry.name.endsWith('.test.ts')) texts.push(readFileSync(full, 'utf8'));
      }
    };
    walk(root);
    const untested = CONTROLS.map((c) => c.id).filter(
      (id) => !texts.some((t) => t.includes('expect(') && (t.includes(`'${id}'`) || t.includes(`"${id}"`))),
    );
    expect(untested).toEqual([]);
  });
});
