import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * The Actions cache service (v2, twirp over JSON) as @actions/cache 6 calls it, on loopback:
 * `CreateCacheEntry` reserves a key (an existing key is refused: entries are immutable),
 * the archive is PUT to the signed upload URL (the Azure SDK's single-shot block-blob upload),
 * `FinalizeCacheEntryUpload` makes it readable, `GetCacheEntryDownloadURL` matches the key, then
 * each restore key as a prefix (newest first), filtered by `version`, and the archive is fetched
 * with a plain GET. Field names are the proto names (`useProtoFieldName`).
 */

interface Entry {
  readonly key: string;
  readonly version: string;
  readonly created: number;
  data?: Buffer;
  finalized: boolean;
}

export interface FakeActionsCache {
  /** The base URL for ACTIONS_RESULTS_URL. */
  readonly url: string;
  readonly entries: ReadonlyMap<string, Entry>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export async function startFakeActionsCache(): Promise<FakeActionsCache> {
  const entries = new Map<string, Entry>();
  let clock = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (req.method === 'PUT' && url.pathname.startsWith('/upload/')) {
        const entry = entries.get(decodeURIComponent(url.pathname.slice('/upload/'.length)));
        if (!entry) return json(res, 404, {});
        entry.data = await body(req);
        res.writeHead(201, { etag: '"1"', 'last-modified': new Date().toUTCString() });
        return res.end();
      }
      if (req.method === 'GET' && url.pathname.startsWith('/download/')) {
        const entry = entries.get(decodeURIComponent(url.pathname.slice('/download/'.length)));
        if (!entry?.data) return json(res, 404, {});
        res.writeHead(200, { 'content-length': entry.data.length, 'content-type': 'application/octet-stream' });
        return res.end(entry.data);
      }
      const method = /^\/twirp\/github\.actions\.results\.api\.v1\.CacheService\/(\w+)$/.exec(url.pathname)?.[1];
      if (req.method !== 'POST' || !method || !req.headers.authorization?.startsWith('Bearer '))
        return json(res, 404, {});
      const request = JSON.parse((await body(req)).toString('utf8')) as {
        key: string;
        version: string;
        restore_keys?: string[];
      };
      if (method === 'CreateCacheEntry') {
        if (entries.has(request.key)) return json(res, 200, { ok: false, message: 'cache entry already exists' });
        entries.set(request.key, { key: request.key, version: request.version, created: clock++, finalized: false });
        return json(res, 200, {
          ok: true,
          signed_upload_url: `${base}/upload/${encodeURIComponent(request.key)}?sig=x`,
        });
      }
      if (method === 'FinalizeCacheEntryUpload') {
        const entry = entries.get(request.key);
        if (!entry?.data) return json(res, 200, { ok: false, message: 'nothing uploaded' });
        entry.finalized = true;
        return json(res, 200, { ok: true, entry_id: String(entry.created + 1) });
      }
      if (method === 'GetCacheEntryDownloadURL') {
        const usable = [...entries.values()].filter((e) => e.finalized && e.version === request.version);
        const exact = usable.find((e) => e.key === request.key);
        const byPrefix = (prefix: string) =>
          usable.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.created - a.created)[0];
        const found = exact ?? byPrefix(request.key) ?? (request.restore_keys ?? []).map(byPrefix).find((e) => e);
        if (!found) return json(res, 200, { ok: false });
        return json(res, 200, {
          ok: true,
          signed_download_url: `${base}/download/${encodeURIComponent(found.key)}?sig=x`,
          matched_key: found.key,
        });
      }
      return json(res, 404, {});
    })().catch((error: unknown) => json(res, 500, { msg: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    entries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
