import { runAction } from './action/run-action.js';

// The Action entry: the only file with a top-level side effect.
await runAction();
