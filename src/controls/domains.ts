import type { ControlDefinition } from './control.js';

/** domains controls. */
export const domainsControls: readonly ControlDefinition[] = [];
