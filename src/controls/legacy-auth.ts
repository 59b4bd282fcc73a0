import type { ControlDefinition } from './control.js';

/** legacy-auth controls. */
export const legacyAuthControls: readonly ControlDefinition[] = [];
