import { constants, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../model/json.js';

/** A compact JWS split into its parts (RFC 7515 §7.1). */
export interface DecodedJwt {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  readonly signingInput: string;
  readonly signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header = '', payload = '', signature = ''] = parts;
  try {
    const h: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    const p: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!isJsonObject(h) || !isJsonObject(p)) return undefined;
    return {
      header: h,
      payload: p,
      signingInput: `${header}.${payload}`,
      signature: Buffer.from(signature, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/** RS256 signature (RFC 7518 §3.3), as Entra ID signs its access tokens. */
export function signJwt(header: JsonObject, payload: JsonObject, privateKeyPem: string): string {
  const input = `${Buffer.from(JSON.stringify({ ...header, alg: 'RS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKeyPem);
  return `${input}.${signature.toString('base64url')}`;
}

/** Verifies RS256 or PS256 (MSAL signs client assertions with either, RFC 7518 §3.5). */
export function verifyJwtSignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const alg = jwt.header.alg;
  if (alg === 'RS256') return createVerify('RSA-SHA256').update(jwt.signingInput).verify(key, jwt.signature);
  if (alg === 'PS256') {
    return createVerify('RSA-SHA256')
      .update(jwt.signingInput)
      .verify(
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        jwt.signature,
      );
  }
  return false;
}

export function publicKeyOf(pem: string): KeyObject {
  return createPublicKey(pem);
}
