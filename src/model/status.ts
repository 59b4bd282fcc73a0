/**
 * A result's status. `error` means the data could not be fetched or judged; `not_evaluable`
 * means a licence or permission is missing. Neither is ever treated as a pass.
 */
export const STATUSES = ['pass', 'fail', 'error', 'not_evaluable', 'excepted'] as const;

export type Status = (typeof STATUSES)[number];
