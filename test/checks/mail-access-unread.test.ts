import { describe, expect, it } from 'vitest';
import { findControl } from '../../src/controls/catalog.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { SOURCE_REQUIREMENTS } from '../../src/snapshot/source-requirements.js';
import { ALL_CONTROLS, goldenTenant, judge, verdicts } from './mail-access-tenant.js';

/*
 * Fail closed, source by source: every source each of the six controls reads, refused, failed,
 * unlicensed or not collected, leaves the control without a pass; a refusal names the permission
 * the setup docs give for it.
 */

const cases = ALL_CONTROLS.flatMap((control) =>
  (findControl(control)?.sources ?? []).map((source) => [control, source] as const),
);

function statuses(source: SourceId): [string, SourceStatus | undefined, string][] {
  const permission = SOURCE_REQUIREMENTS[source].permission;
  return [
    ['not_permitted', { status: 'not_permitted', permission, reason: 'HTTP 403' }, 'not_evaluable'],
    ['not_licensed', { status: 'not_licensed', licence: 'entra-id-p1', reason: 'HTTP 403' }, 'not_evaluable'],
    ['failed', { status: 'failed', reason: 'HTTP 500 after retries' }, 'error'],
    ['not collected', undefined, 'error'],
  ];
}

describe('the six controls with one of their sources unread', () => {
  it('covers every source the controls name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const control of ALL_CONTROLS) expect(findControl(control)?.sources.length, control).toBeGreaterThan(0);
  });

  it.each(cases)('%s with %s unread gives no pass, only the reason', async (control, source) => {
    for (const [name, status, expected] of statuses(source)) {
      const tenant = goldenTenant();
      if (status === undefined) delete (tenant as Partial<Record<SourceId, unknown>>)[source];
      const results = await judge(control, tenant, status === undefined ? {} : { statuses: { [source]: status } });
      expect(verdicts(results), `${name}`).toEqual([['tenant', expected]]);
      expect(results[0]?.evidence, name).toMatchObject({ source });
      if (name === 'not_permitted') expect(results[0]?.message).toContain(SOURCE_REQUIREMENTS[source].permission);
    }
  });
});
