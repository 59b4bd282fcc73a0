/** Evidence lists are capped so reports and issues stay readable; the total is always given. */
export const EVIDENCE_CAP = 50;

export interface Capped<T> {
  readonly items: readonly T[];
  readonly total: number;
}

export function cap<T>(items: readonly T[], limit = EVIDENCE_CAP): Capped<T> {
  return { items: items.slice(0, limit), total: items.length };
}
