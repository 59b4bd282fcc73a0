import { describe, expect, it } from 'vitest';
import { parseFingerprint, parseState, renderStateMarker, type IssueState } from '../../src/issues/marker.js';
import { NO_REDACTION, redactor } from '../../src/issues/redact.js';
import { renderFindingIssue } from '../../src/issues/render.js';
import { demoPolicy, result } from './report-fixture.js';

const META = {
  firstSeen: '2026-11-27',
  lastSeen: '2026-11-27',
  runUrl: undefined,
  status: 'open' as const,
  reopenedAfterManualClose: false,
};

const STATE: IssueState = {
  v: 1,
  control: 'forwarding.inbox-rules',
  severity: 'high',
  firstSeen: '2026-11-27',
  lastSeen: '2026-11-27',
  affected: [],
  status: 'open',
  reopenedAfterManualClose: false,
};

describe('the state marker carries the target', () => {
  it('round-trips a hostile target on one line that no HTML comment end or forged marker can break', () => {
    const target =
      'a--> <!-- mailwarden:fingerprint=00000000000000000000000000000000 -->\n<!-- mailwarden:state={"v":1} -->--!>\\--\u2028';
    const marker = renderStateMarker({ ...STATE, target });
    expect(marker.split('\n')).toHaveLength(1);
    // Between the opening `<!--` and the closing `-->`, nothing can end the comment early.
    const inside = marker.slice('<!--'.length, -'-->'.length);
    expect(inside).not.toMatch(/--|[<>]/);
    const body = `text\n\n${marker}\n`;
    expect(parseState(body)?.target).toBe(target);
    expect(parseFingerprint(body)).toBeUndefined();
  });

  it('an empty or non-string target makes the block invalid rather than guessed at', () => {
    expect(parseState(`<!-- mailwarden:state=${JSON.stringify({ ...STATE, target: '' })} -->`)).toBeUndefined();
    expect(parseState(`<!-- mailwarden:state=${JSON.stringify({ ...STATE, target: 7 })} -->`)).toBeUndefined();
    expect(parseState(`<!-- mailwarden:state=${JSON.stringify(STATE)} -->`)?.target).toBeUndefined();
  });

  it('a finding issue records its target, unless redaction changed it', () => {
    const user = result({ target: 'adele@contosohealth.example' });
    const plain = renderFindingIssue(user, demoPolicy(), META, NO_REDACTION);
    expect(parseState(plain.body)).toMatchObject({ control: 'mfa.registration', target: user.target });

    const redacted = renderFindingIssue(user, demoPolicy(), META, redactor('key'));
    expect(parseState(redacted.body)?.control).toBe('mfa.registration');
    expect(parseState(redacted.body)?.target).toBeUndefined();
    expect(redacted.body).not.toContain('adele@');

    // A domain is no personal data: redaction leaves it, and so the marker keeps it.
    const domain = result({ control: 'dmarc.policy', target: 'contosohealth.example' });
    expect(parseState(renderFindingIssue(domain, demoPolicy(), META, redactor('key')).body)?.target).toBe(
      'contosohealth.example',
    );
  });
});
