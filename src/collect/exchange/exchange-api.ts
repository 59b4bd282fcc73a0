/**
 * What Exchange collectors need: run one cmdlet through the Exchange admin API's
 * `InvokeCommand` endpoint and get every page of its output. Microsoft does not document this
 * REST surface as a public API (it is what the ExchangeOnlineManagement module calls), so it is
 * kept behind this interface.
 */
export interface ExchangeApi {
  invoke(cmdlet: string, parameters?: Readonly<Record<string, unknown>>): Promise<readonly Record<string, unknown>[]>;
}

/** An Exchange admin API error: status 401, 403 or 404 means the API is not set up for the app. */
export class ExchangeRequestError extends Error {
  override readonly name = 'ExchangeRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly cmdlet: string,
  ) {
    super(message);
  }
}
