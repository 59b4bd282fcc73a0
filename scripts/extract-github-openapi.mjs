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
  // `/mailwarden accept`: who may accept, the finding issue, the policy file, a branch, a pull request.
  'repos/get-collaborator-permission-level',
  'issues/get',
  'repos/get-content',
  'repos/create-or-update-file-contents',
  'git/get-ref',
  'git/create-ref',
  'git/update-ref',
  'pulls/list',
  'pulls/create',
  'pulls/update',
];
/** Operations whose success response the fake server checks its own answers against. */
const RESPONSES = new Set([
  'repos/get-collaborator-permission-level',
  'issues/get',
  'repos/get-content',
  'repos/create-or-update-file-contents',
  'git/get-ref',
  'git/create-ref',
  'git/update-ref',
  'pulls/list',
  'pulls/create',
  'pulls/update',
]);

/**
 * A response schema cut to what a fake's answer can be checked against: types, properties,
 * items and enums. Descriptions and examples go (size); `required` goes, because a fake answers
 * only the fields its clients read; `oneOf` becomes `anyOf`, because without `required` the
 * branches overlap. What stays catches a fake that invents a field or gives one the wrong type.
 */
function responseShape(schema) {
  if (Array.isArray(schema)) return schema.map(responseShape);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (['description', 'example', 'examples', 'required', 'title', 'externalDocs', 'readOnly'].includes(key)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, responseShape(s)]));
    } else out[key === 'oneOf' ? 'anyOf' : key] = responseShape(value);
  }
  return out;
}
const SPECS = ['api.github.com', 'ghes-3.17'];

/** Each 2xx status of an operation with its JSON body's shape (`null` for an empty body). */
function successResponses(op) {
  const out = {};
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const schema = response?.content?.['application/json']?.schema;
    out[status] = schema ? responseShape(schema) : null;
  }
  return out;
}

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
        ...(RESPONSES.has(op.operationId) ? { responses: successResponses(op) } : {}),
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
