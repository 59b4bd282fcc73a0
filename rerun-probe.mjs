import { createVitest } from 'vitest/node';
const files = ['test/checks/identity-controls.test.ts', 'test/checks/thresholds.test.ts'];
const ctxs = {};
for (const pool of ['threads', 'forks'])
  ctxs[pool] = await createVitest('test', { config: 'vitest.mutation.config.ts', watch: false, reporters: [], pool });
const times = { threads: [], forks: [] };
for (let i = 0; i < 8; i++)
  for (const pool of ['threads', 'forks']) {
    const ctx = ctxs[pool];
    ctx.projects.forEach((p) => {
      p.config.testNamePattern = /passes every identity control on the golden tenant\s*$/;
    });
    const t = performance.now();
    await ctx.start(files);
    times[pool].push(Math.round(performance.now() - t));
  }
for (const [k, v] of Object.entries(times)) {
  const s = [...v].sort((a, b) => a - b);
  console.log(k, 'median', s[4], v.join(' '));
}
for (const c of Object.values(ctxs)) await c.close();
