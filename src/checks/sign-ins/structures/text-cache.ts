/**
 * Shares one copy of each low-cardinality text (app, client, city, country) kept in evidence,
 * instead of one copy per parsed event. Bounded: past `limit` distinct values, texts are kept
 * as they are.
 */
export class TextCache {
  private readonly values = new Map<string, string>();

  constructor(private readonly limit = 10_000) {}

  get(value: string | null | undefined): string | null {
    if (typeof value !== 'string' || value === '') return null;
    const known = this.values.get(value);
    if (known !== undefined) return known;
    if (this.values.size < this.limit) this.values.set(value, value);
    return value;
  }
}
