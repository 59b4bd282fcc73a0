/**
 * What Exchange collectors need: run one cmdlet through the Exchange admin API's
 * `InvokeCommand` endpoint and get every page of its output. Microsoft does not document this
 * REST surface as a public API (it is what the ExchangeOnlineManagement module calls), so it is
 * kept behind this interface.
 */
export interface ExchangeApi {
  invoke(
    cmdlet: string,
    parameters?: Readonly<Record<string, unknown>>,
    options?: InvokeOptions,
  ): Promise<readonly Record<string, unknown>[]>;
}

export interface InvokeOptions {
  /**
   * Keep only these properties of each object, page by page as pages arrive, so a large
   * tenant's output is never held whole (cmdlet-properties.ts).
   */
  readonly properties?: readonly string[];
}

/**
 * An Exchange admin API error. Status 401, 403 or 404 on the endpoint means the API is not
 * set up for the app; a 404 that carries a cmdlet error (`detail`) means the cmdlet ran and
 * did not find its object (for example `Get-InboxRule -Mailbox` for a mailbox that is gone).
 */
export class ExchangeRequestError extends Error {
  override readonly name = 'ExchangeRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly cmdlet: string,
    /** The cmdlet's own error text (`error.details[0].message`), when the cmdlet ran. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The setup the Exchange admin API needs, stated exactly, for `not_permitted` sources. */
export const EXCHANGE_SETUP_STEPS =
  'Exchange.ManageAsApp and the Global Reader role. Steps: (1) Entra admin centre > App registrations > the app > API permissions > Add a permission > APIs my organization uses > "Office 365 Exchange Online" > Application permissions > Exchange.ManageAsApp > Add, then "Grant admin consent". (2) Entra admin centre > Roles and administrators > Global Reader > Add assignments > select the app\'s service principal. Changes can take up to an hour to apply.';

/**
 * True when the cmdlet is not in the app's Exchange session. Exchange's role-based access
 * control gives a session the cmdlets of its roles' entries ("You need to be assigned
 * permissions before you can run this cmdlet", on every cmdlet's page), so one the roles leave
 * out is answered as an unknown command. How the admin API words it is not documented: both the
 * exception type and PowerShell's text are recognised.
 */
export function isCmdletUnavailable(error: ExchangeRequestError): boolean {
  return /CommandNotFoundException|is not recognized as (?:the name of )?a cmdlet/i.test(error.detail ?? '');
}

/** True when an error means the Exchange admin API refused the app, as a whole or for this cmdlet. */
export function isExchangeRefusal(error: unknown): error is ExchangeRequestError {
  if (!(error instanceof ExchangeRequestError)) return false;
  if (error.status === 401 || error.status === 403) return true;
  if (isCmdletUnavailable(error)) return true;
  return error.status === 404 && error.detail === undefined;
}
