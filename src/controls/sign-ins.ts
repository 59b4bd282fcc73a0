import type { ControlDefinition } from './control.js';

/** sign-ins controls. */
export const signInsControls: readonly ControlDefinition[] = [];
