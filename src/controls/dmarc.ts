import type { ControlDefinition } from './control.js';

/** dmarc controls. */
export const dmarcControls: readonly ControlDefinition[] = [];
