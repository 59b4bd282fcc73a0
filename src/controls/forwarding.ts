import type { ControlDefinition } from './control.js';

/** forwarding controls. */
export const forwardingControls: readonly ControlDefinition[] = [];
