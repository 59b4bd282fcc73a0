#!/usr/bin/env node
import { main } from './cli/main.js';

// The bundle entry of `mailwarden`: wire the real process to main().
const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
  env: process.env,
  now: () => new Date(),
});
process.exitCode = code;
