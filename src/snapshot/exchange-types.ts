/**
 * Exchange admin API (`InvokeCommand`) cmdlet output. Each cmdlet returns objects with
 * PowerShell property names; we keep them as returned and read the properties we need.
 */
export interface ExchangeObject {
  readonly [property: string]: unknown;
}
