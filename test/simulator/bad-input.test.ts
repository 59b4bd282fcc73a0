import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';
import { tempDir } from '../helpers/temp.js';
import { writeFixtureTenant } from './fixture-tenant.js';

async function startError(mutate: (dir: string) => Promise<void>): Promise<ConfigurationError> {
  const dir = await tempDir();
  await writeFixtureTenant(dir);
  await mutate(dir);
  try {
    const sim = await startSimulator({ dir });
    await sim.close();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('the simulator started on a bad folder');
}

describe('simulator: bad snapshot folders fail before any port opens, naming the file and the JSON pointer', () => {
  it('names a missing file', async () => {
    const error = await startError((dir) => rm(path.join(dir, 'graph/users.json')));
    expect(error.message).toContain(path.join('graph', 'users.json'));
  });

  it('names a missing manifest', async () => {
    const error = await startError((dir) => rm(path.join(dir, 'manifest.json')));
    expect(error.message).toContain('manifest.json');
  });

  it('names a corrupt JSON file', async () => {
    const error = await startError((dir) => writeFile(path.join(dir, 'graph/domains.json'), '{"value": [ {"id": '));
    expect(error.message).toContain(path.join('graph', 'domains.json'));
  });

  it('names the pointer of an item of the wrong shape', async () => {
    const error = await startError(async (dir) => {
      const file = path.join(dir, 'graph/users.json');
      const users = JSON.parse(await readFile(file, 'utf8')) as { value: Record<string, unknown>[] };
      delete users.value[2]!.userPrincipalName;
      await writeFile(file, JSON.stringify(users));
    });
    expect(error.message).toContain(path.join('graph', 'users.json'));
    expect(error.message).toContain('/value/2/userPrincipalName');
  });

  it('names the pointer of a recorded HTTPS fetch of the wrong shape', async () => {
    const error = await startError(async (dir) => {
      const file = path.join(dir, 'dns/answers.json');
      const dns = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      await writeFile(
        file,
        JSON.stringify({
          ...dns,
          https: { 'https://mta-sts.alpha.example/.well-known/mta-sts.txt': { status: '200' } },
        }),
      );
    });
    expect(error.message).toContain(path.join('dns', 'answers.json'));
    expect(error.message).toContain('/https/https:~1~1mta-sts.alpha.example~1.well-known~1mta-sts.txt');
  });

  it('names a collection that is not a collection', async () => {
    const error = await startError((dir) => writeFile(path.join(dir, 'exchange/Get-Mailbox.json'), '{"items": []}'));
    expect(error.message).toContain('Get-Mailbox.json');
    expect(error.message).toContain('/value');
  });

  it('names the line and pointer of a bad sign-in in the JSON Lines log', async () => {
    const error = await startError((dir) =>
      appendFile(path.join(dir, 'graph/signIns.jsonl'), '{"value":[{"id":"x","createdDateTime":"yesterday"}]}\n'),
    );
    expect(error.message).toMatch(/signIns\.jsonl:3: \/value\/0/);
    const corrupt = await startError((dir) => appendFile(path.join(dir, 'graph/messageRules.jsonl'), '{"userId": \n'));
    expect(corrupt.message).toMatch(/messageRules\.jsonl:4: invalid JSON/);
  });

  it('names a DNS answer keyed the wrong way', async () => {
    const error = await startError((dir) =>
      writeFile(
        path.join(dir, 'dns/answers.json'),
        JSON.stringify({ answers: { 'Alpha.Example./TXT': { rcode: 'NOERROR', records: [] } } }),
      ),
    );
    expect(error.message).toContain('answers.json');
    expect(error.message).toContain('/answers/Alpha.Example.~1TXT');
  });
});
