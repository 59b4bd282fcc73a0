import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/evaluate/fingerprint.js';

/*
 * The fingerprint is the key that matches a finding to its issue across runs. Its value must
 * never change (every open issue would be orphaned), so the known values are pinned here.
 */

describe('fingerprint', () => {
  it('keeps its known values, for a tenant target and for a domain', () => {
    expect(fingerprint('mfa.registration', 'tenant-1', 'alice@contoso.example')).toBe(
      'b6f15a2dd04e2b205733c29725c4ae6d',
    );
    expect(fingerprint('spf.record', null, 'contoso.example')).toBe('dd77a74fc3f4932531b04fde106ff85f');
  });

  it('ignores the case of the tenant and the target, never the control', () => {
    expect(fingerprint('mfa.registration', 'Tenant-1', 'Alice@Contoso.example')).toBe(
      'b6f15a2dd04e2b205733c29725c4ae6d',
    );
    expect(fingerprint('spf.record', null, 'CONTOSO.example')).toBe('dd77a74fc3f4932531b04fde106ff85f');
    expect(fingerprint('spf.record', 'tenant-1', 'contoso.example')).not.toBe('dd77a74fc3f4932531b04fde106ff85f');
  });
});
