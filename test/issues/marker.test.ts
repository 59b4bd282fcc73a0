import { describe, expect, it } from 'vitest';
import {
  parseFingerprint,
  parseState,
  renderStateMarker,
  STATE_VERSION,
  type IssueState,
} from '../../src/issues/marker.js';
import { renderFindingIssue } from '../../src/issues/render.js';
import { demoPolicy, result, shownResult, place } from './report-fixture.js';

const META = {
  firstSeen: '2026-11-27',
  lastSeen: '2026-11-27',
  runUrl: undefined,
  status: 'open' as const,
  reopenedAfterManualClose: false,
};

const STATE: IssueState = {
  v: STATE_VERSION,
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
    const plain = renderFindingIssue(shownResult(user), { ...demoPolicy(), place: place() }, META);
    expect(parseState(plain.body)).toMatchObject({ control: 'mfa.registration', target: user.target });

    const redacted = renderFindingIssue(shownResult(user, 'key'), { ...demoPolicy(), place: place() }, META);
    expect(parseState(redacted.body)?.control).toBe('mfa.registration');
    expect(parseState(redacted.body)?.target).toBeUndefined();
    expect(redacted.body).not.toContain('adele@');

    // A domain is no personal data: redaction leaves it, and so the marker keeps it.
    const domain = result({ control: 'dmarc.policy', target: 'contosohealth.example' });
    expect(
      parseState(renderFindingIssue(shownResult(domain, 'key'), { ...demoPolicy(), place: place() }, META).body)
        ?.target,
    ).toBe('contosohealth.example');
  });

  it('with the bundled policy, the issue says where the repository keeps its copy and how to make it', () => {
    const user = result({ target: 'adele@contosohealth.example' });
    const bundled = renderFindingIssue(
      shownResult(user),
      { ...demoPolicy(), place: { path: '.mailwarden/policy.json', bundled: true } },
      META,
    ).body;
    expect(bundled).toContain('bundled baseline policy');
    expect(bundled).toContain('`mailwarden init` writes it to `.mailwarden/policy.json`');
    expect(bundled).toContain('`policy: .mailwarden/policy.json`');
    const own = renderFindingIssue(
      shownResult(user),
      { ...demoPolicy(), place: place('.mailwarden/policy.json') },
      META,
    ).body;
    expect(own).not.toContain('bundled');
    expect(own).toContain('in the policy file `.mailwarden/policy.json`');
  });
});
