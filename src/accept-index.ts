import { acceptActionMain } from './action/run-accept-action.js';

// The accept Action's entry (accept/action.yml): the only file here with a top-level side effect.
await acceptActionMain();
