/** An OData date-time literal: ISO 8601 in UTC, unquoted, whole seconds. */
export function odataTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
