import { CONTROLS } from '../controls/catalog.js';
import { AREAS, type Area } from '../model/area.js';
import { SEVERITIES } from '../model/severity.js';
import type { Report } from './report.js';

/**
 * The posture history kept in the dashboard issue itself, so no artifact (which expires) or other
 * storage is needed: one compact entry per UTC day in a hidden HTML comment, versioned.
 */
export const HISTORY_VERSION = 1;

/** Per area: passed, failed, excepted, error, not evaluable. */
export type AreaCounts = readonly [number, number, number, number, number];

export interface HistoryDay {
  /** UTC day, `YYYY-MM-DD`. */
  readonly d: string;
  /**
   * Per area audited that day. An area no control of the day's runs covered (a DNS-only run, `--only`)
   * is absent, never zero: it was not measured.
   */
  readonly a: Readonly<Partial<Record<Area, AreaCounts>>>;
  /** Failing findings by severity, low to critical. */
  readonly s: readonly [number, number, number, number];
  /** MFA registration coverage in percent (`mfa.registration` evidence), or null when not measured. */
  readonly c: number | null;
  /** Issues opened or reopened that day. */
  readonly o: readonly number[];
  /** Issues closed that day. */
  readonly k: readonly number[];
}

export interface History {
  readonly v: typeof HISTORY_VERSION;
  readonly days: readonly HistoryDay[];
}

export type HistoryStatus = 'ok' | 'missing' | 'corrupt';

export const EMPTY_HISTORY: History = { v: HISTORY_VERSION, days: [] };

const HISTORY_LINE = /^<!-- mailwarden:history=([^\n]*) -->$/gm;

export function renderHistoryBlock(history: History): string {
  // `--` would end the HTML comment early; `\u002d` keeps the JSON value the same.
  return `<!-- mailwarden:history=${JSON.stringify(history).replace(/--/g, '-\\u002d')} -->`;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isDay(value: unknown): value is string {
  return (
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
  );
}

function parseDay(raw: unknown): HistoryDay | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'an entry is not an object';
  const e = raw as Record<string, unknown>;
  if (!isDay(e.d)) return 'an entry has no valid day';
  if (typeof e.a !== 'object' || e.a === null || Array.isArray(e.a)) return `${e.d}: no area counts`;
  const areas = e.a as Record<string, unknown>;
  const a: Partial<Record<Area, AreaCounts>> = {};
  for (const area of AREAS) {
    // An area not measured that day (or added since) is absent, not corruption.
    const counts = areas[area];
    if (counts === undefined) continue;
    if (!Array.isArray(counts) || counts.length !== 5 || !counts.every(isCount))
      return `${e.d}: bad counts for ${area}`;
    a[area] = counts as unknown as AreaCounts;
  }
  if (!Array.isArray(e.s) || e.s.length !== SEVERITIES.length || !e.s.every(isCount))
    return `${e.d}: bad severity counts`;
  if (e.c !== null && (typeof e.c !== 'number' || e.c < 0 || e.c > 100)) return `${e.d}: bad coverage`;
  for (const key of ['o', 'k'] as const) {
    const list = e[key];
    if (!Array.isArray(list) || !list.every((n) => isCount(n) && n > 0)) return `${e.d}: bad issue list`;
  }
  return {
    d: e.d,
    a,
    s: e.s as unknown as HistoryDay['s'],
    c: e.c as number | null,
    o: e.o as number[],
    k: e.k as number[],
  };
}

/**
 * The history in a dashboard body. A missing block is a fresh start; a corrupt or hand-edited one
 * (bad JSON, wrong version or shape, duplicated block) is reported and restarted, never thrown.
 */
export function parseHistory(body: string | null | undefined): {
  history: History;
  status: HistoryStatus;
  problem?: string;
} {
  const blocks = [...(body ?? '').matchAll(HISTORY_LINE)];
  if (blocks.length === 0) return { history: EMPTY_HISTORY, status: 'missing' };
  const corrupt = (problem: string) => ({ history: EMPTY_HISTORY, status: 'corrupt' as const, problem });
  if (blocks.length > 1) return corrupt('more than one history block');
  let raw: unknown;
  try {
    raw = JSON.parse(blocks[0]?.[1] ?? '');
  } catch {
    return corrupt('the history block is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return corrupt('the history block is not an object');
  const h = raw as Record<string, unknown>;
  if (h.v !== HISTORY_VERSION) return corrupt(`unknown history version ${JSON.stringify(h.v)}`);
  if (!Array.isArray(h.days)) return corrupt('the history has no list of days');
  const days: HistoryDay[] = [];
  for (const entry of h.days) {
    const parsed = parseDay(entry);
    if (typeof parsed === 'string') return corrupt(parsed);
    days.push(parsed);
  }
  for (let i = 1; i < days.length; i++) {
    if ((days[i - 1]?.d ?? '') >= (days[i]?.d ?? '')) return corrupt('days are not in order');
  }
  return { history: { v: HISTORY_VERSION, days }, status: 'ok' };
}

/** The control the dashboard charts (MFA registration coverage), and the evidence field it charts. */
const TRENDED = CONTROLS.find((c) => c.dashboardTrend !== undefined);

/** MFA registration coverage from that control's result's evidence, when it was measured. */
export function mfaCoverage(report: Report): number | null {
  if (TRENDED?.dashboardTrend === undefined) return null;
  const result = report.results.find(
    (r) => r.control === TRENDED.id && (r.status === 'pass' || r.status === 'fail' || r.status === 'excepted'),
  );
  const value = result?.evidence[TRENDED.dashboardTrend];
  return typeof value === 'number' && value >= 0 && value <= 100 ? value : null;
}

const AREA_OF = new Map(CONTROLS.map((c) => [c.id, c.area]));

/** The areas a run audited: those of the controls it selected, whatever their outcome. */
export function coveredAreas(report: Pick<Report, 'controls'>): Set<Area> {
  const areas = new Set<Area>();
  for (const outcome of report.controls) {
    const area = AREA_OF.get(outcome.control);
    if (area) areas.add(area);
  }
  return areas;
}

/** Today's entry from the report and the issues this run opened and closed; areas it did not audit are left out. */
export function dayEntry(report: Report, opened: readonly number[], closed: readonly number[]): HistoryDay {
  const a: Partial<Record<Area, AreaCounts>> = {};
  const covered = coveredAreas(report);
  for (const area of AREAS) {
    if (!covered.has(area)) continue;
    const c = report.summary.byArea[area];
    a[area] = [c.pass, c.fail, c.excepted, c.error, c.not_evaluable];
  }
  const s = SEVERITIES.map(
    (sev) => report.results.filter((r) => r.status === 'fail' && r.severity === sev).length,
  ) as unknown as HistoryDay['s'];
  return {
    d: report.snapshot.capturedAt.slice(0, 10),
    a,
    s,
    c: mfaCoverage(report),
    o: [...opened].sort((x, y) => x - y),
    k: [...closed].sort((x, y) => x - y),
  };
}

/**
 * Adds a day. A later run on the same day replaces the counts of the areas it audited, keeps
 * those of the areas it did not (a DNS-only run after the nightly tenant run), and adds to the
 * day's opened and closed lists.
 */
export function withDay(history: History, day: HistoryDay): History {
  const same = history.days.find((d) => d.d === day.d);
  const narrower = same !== undefined && AREAS.some((area) => same.a[area] !== undefined && day.a[area] === undefined);
  const merged: HistoryDay = same
    ? {
        ...day,
        a: { ...same.a, ...day.a },
        // Severity counts are the run's totals: a run that audited fewer areas keeps the wider run's.
        s: narrower ? same.s : day.s,
        c: day.c ?? (day.a.mfa === undefined ? same.c : null),
        o: [...new Set([...same.o, ...day.o])].sort((x, y) => x - y),
        k: [...new Set([...same.k, ...day.k])].sort((x, y) => x - y),
      }
    : day;
  const days = [...history.days.filter((d) => d.d !== day.d), merged].sort((x, y) =>
    x.d < y.d ? -1 : x.d > y.d ? 1 : 0,
  );
  return { v: HISTORY_VERSION, days };
}

/** The latest counts of an area up to `today`, and their day: what a run that did not audit it shows. */
export function latestCounts(
  history: History | undefined,
  area: Area,
  today: string,
): { readonly day: string; readonly counts: AreaCounts } | undefined {
  const days = history?.days ?? [];
  for (let i = days.length - 1; i >= 0; i--) {
    const day = days[i];
    const counts = day?.a[area];
    if (day && counts && day.d <= today) return { day: day.d, counts };
  }
  return undefined;
}

/** The entries within `n` days up to `today` (inclusive), oldest first. */
export function recentDays(history: History, today: string, n = 90): HistoryDay[] {
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (n - 1) * 86_400_000).toISOString().slice(0, 10);
  return history.days.filter((d) => d.d >= from && d.d <= today);
}
