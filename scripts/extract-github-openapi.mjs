// Extracts the few GitHub REST operations mailwarden calls from @octokit/openapi into a small
// committed file, so the fake GitHub server can validate request bodies against GitHub's own
// description without the 385 MB package in the repository or the test run.
//
// Usage (install the package outside the repository, once, when bumping):
//   npm install --prefix /tmp/oa @octokit/openapi
//   node scripts/extract-github-openapi.mjs /tmp/oa/node_modules/@octokit/openapi
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const OPERATIONS = [
  'repos/get',
  'issues/list-for-repo',
  'issues/create',
  'issues/update',
  'issues/create-comment',
  'issues/list-labels-for-repo',
  'issues/create-label',
];
const SPECS = ['api.github.com', 'ghes-3.17'];

const root = process.argv[2];
if (!root) throw new Error('usage: node scripts/extract-github-openapi.mjs PATH/TO/@octokit/openapi');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const out = { source: `@octokit/openapi ${pkg.version}`, specs: {} };
for (const spec of SPECS) {
  const doc = JSON.parse(await readFile(path.join(root, 'generated', `${spec}.deref.json`), 'utf8'));
  const ops = {};
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!OPERATIONS.includes(op?.operationId)) continue;
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops[op.operationId] = {
        method: method.toUpperCase(),
        path: route,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        ...(body ? { requestBody: { required: op.requestBody.required === true, schema: body } } : {}),
      };
    }
  }
  const missing = OPERATIONS.filter((o) => !ops[o]);
  if (missing.length > 0) throw new Error(`${spec}: operations not found: ${missing.join(', ')}`);
  out.specs[spec] = ops;
}
const file = 'test/fixtures/github-openapi-operations.json';
await writeFile(file, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${file}`);
