import { AREA_TITLES, AREAS } from '../model/area.js';
import type { HistoryDay } from './history.js';

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A Unicode sparkline, for renderers without Mermaid (older GHES, mail notifications). Scaled from
 * zero to the series' maximum, so a flat line at the bottom means zero throughout.
 */
export function sparkline(values: readonly (number | null)[]): string {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  return values
    .map((v) =>
      v === null
        ? '·'
        : max === 0
          ? BARS[0]
          : BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))],
    )
    .join('');
}

/** Failing findings of one area, day by day. */
export function failingSeries(days: readonly HistoryDay[], area: (typeof AREAS)[number]): (number | null)[] {
  return days.map((d) => d.a[area]?.[1] ?? null);
}

/** A series for a chart that cannot show gaps: a day without a value repeats the day before (0 at first). */
function carried(series: readonly (number | null)[]): number[] {
  let last = 0;
  return series.map((v) => {
    if (v !== null) last = v;
    return last;
  });
}

function axisLabels(days: readonly HistoryDay[]): string {
  return `[${days.map((d) => `"${d.d.slice(5)}"`).join(', ')}]`;
}

/** Mermaid `xychart-beta`: one line of failing findings per area. Labels are ours (dates, area titles). */
export function mermaidFailingTrend(days: readonly HistoryDay[]): string {
  const max = Math.max(1, ...days.flatMap((d) => AREAS.map((a) => d.a[a]?.[1] ?? 0)));
  return [
    'xychart-beta',
    '  title "Failing findings per area"',
    `  x-axis ${axisLabels(days)}`,
    `  y-axis "Failing findings" 0 --> ${max}`,
    ...AREAS.map((area) => `  line "${AREA_TITLES[area]}" [${carried(failingSeries(days, area)).join(', ')}]`),
  ].join('\n');
}

/** Mermaid `xychart-beta` of MFA registration coverage, over the days it was measured. */
export function mermaidCoverageTrend(days: readonly HistoryDay[]): string | undefined {
  const measured = days.filter((d) => d.c !== null);
  if (measured.length === 0) return undefined;
  return [
    'xychart-beta',
    '  title "MFA registration coverage (%)"',
    `  x-axis ${axisLabels(measured)}`,
    '  y-axis "Registered (%)" 0 --> 100',
    `  line "Coverage" [${measured.map((d) => d.c).join(', ')}]`,
  ].join('\n');
}
