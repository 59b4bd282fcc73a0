import type { ControlDefinition } from './control.js';

/** spf controls. */
export const spfControls: readonly ControlDefinition[] = [];
