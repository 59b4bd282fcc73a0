import type { ControlDefinition } from './control.js';

/** dkim controls. */
export const dkimControls: readonly ControlDefinition[] = [];
