import { request } from 'node:https';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';

/** POSTs a form to the simulator's HTTPS login endpoint, trusting its certificate explicitly. */
export function postForm(
  sim: RunningSimulator,
  path: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(`${sim.authorityUrl}${path}`);
  const text = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: sim.caCertificatePem,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** A token for a resource (`https://graph.microsoft.com` or the Exchange host) with the client secret. */
export async function token(sim: RunningSimulator, resource = 'https://graph.microsoft.com'): Promise<string> {
  const { status, body } = await postForm(sim, `/${sim.tenantId}/oauth2/v2.0/token`, {
    grant_type: 'client_credentials',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    scope: `${resource}/.default`,
  });
  if (status !== 200) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return String(body.access_token);
}

export interface JsonReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** GET a Graph URL (relative to graphUrl, or absolute) with a bearer token. */
export async function graphGet(sim: RunningSimulator, bearer: string, pathOrUrl: string): Promise<JsonReply> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.graphUrl}${pathOrUrl}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

export async function graphBatch(sim: RunningSimulator, bearer: string, requests: unknown[]): Promise<JsonReply> {
  const response = await fetch(`${sim.graphUrl}/$batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requests }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

export async function invokeCommand(
  sim: RunningSimulator,
  bearer: string,
  body: unknown,
  options: { url?: string; pageSize?: number } = {},
): Promise<JsonReply> {
  const url = options.url ?? `${sim.exchangeUrl}/adminapi/beta/${sim.tenantId}/InvokeCommand`;
  const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
  if (options.pageSize !== undefined) headers.prefer = `odata.maxpagesize=${options.pageSize}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}
