import { run } from './main.js';

// The Action entry: the only file with a top-level side effect.
await run();
