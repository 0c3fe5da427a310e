import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@xinfang/core';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtAuthenticator, staticTokenAuthenticator } from '../src/index.js';
import { call, type Harness, harness, ONLINE_PETITION, START, USERS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xinfang-jwks-'));
let h: Harness;
let privateKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey as CryptoKey;
  otherKey = (await generateKeyPair('ES256')).privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const file = join(dir, 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [jwk] }));
  h = await harness({
    authenticators: [
      jwtAuthenticator({
        issuer: 'https://sso.example.gov.cn',
        audience: 'xinfang',
        jwks: { file },
        claims: { roles: 'groups', unit: 'dept' },
        roleMap: { 窗口登记员: ['registrar', 'acceptor'], 群众: ['petitioner'] },
        unitMap: { 'XF-0121': 'county-bureau' },
        clock: new ManualClock(START),
      }),
      staticTokenAuthenticator(USERS),
    ],
  });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A token as the province's sign-on issues it, at the test's instant. */
async function token(
  claims: Record<string, unknown>,
  options: { key?: CryptoKey; audience?: string; expiresIn?: number } = {},
) {
  const iat = Math.floor(Date.parse(START) / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer('https://sso.example.gov.cn')
    .setAudience(options.audience ?? 'xinfang')
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresIn ?? 600))
    .sign(options.key ?? privateKey);
}

describe('sign-on', () => {
  it('takes bearer JWTs checked by signature, issuer, audience and lifetime, claims mapped to roles and unit', async () => {
    const clerk = await token({ sub: 'sso-1001', groups: ['窗口登记员'], dept: 'XF-0121' });
    const filed = await call(h, clerk, 'POST', '/petitions', { ...ONLINE_PETITION, channel: 'letter' });
    expect(filed).toMatchObject({ status: 201, body: { state: 'registered' } });
    const history = await call(h, clerk, 'GET', `/cases/${filed.body.caseId}/history`);
    expect(history.body.events[0].actor).toMatchObject({
      id: 'sso-1001',
      role: 'registrar',
      unit: 'county-bureau',
    });

    for (const bad of [
      await token({ sub: 'sso-1001', groups: ['窗口登记员'], dept: 'XF-0121' }, { key: otherKey }),
      await token({ sub: 'sso-1001', groups: ['窗口登记员'], dept: 'XF-0121' }, { audience: 'another-app' }),
      await token({ sub: 'sso-1001', groups: ['窗口登记员'], dept: 'XF-0121' }, { expiresIn: -60 }),
      await token({ groups: ['窗口登记员'], dept: 'XF-0121' }),
      `${clerk}x`,
    ]) {
      expect(await call(h, bad, 'GET', `/cases/${filed.body.caseId}`)).toMatchObject({
        status: 401,
        body: { code: 'UNAUTHENTICATED' },
      });
    }
    // a role the map does not know signs on with no role: 401, never a default role
    const stranger = await token({ sub: 'sso-9', groups: ['访客'] });
    expect(await call(h, stranger, 'GET', '/board')).toMatchObject({ status: 401 });
  });

  it('takes static tokens from loopback only, and will not listen elsewhere with them', async () => {
    const fromAfar = await h.service.app.inject({
      method: 'GET',
      url: '/board',
      remoteAddress: '203.0.113.9',
      headers: { authorization: 'Bearer token-window' },
    });
    expect(fromAfar.statusCode).toBe(401);
    await expect(h.service.listen({ host: '0.0.0.0' })).rejects.toThrow(/static-tokens.*127\.0\.0\.1/);
  });

  it('answers over real HTTP on loopback', async () => {
    const url = await h.service.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${url}/petitions`, {
      method: 'POST',
      headers: { authorization: 'Bearer token-citizen', 'content-type': 'application/json' },
      body: JSON.stringify({ ...ONLINE_PETITION, summary: '经真实连接提交' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { caseId: string };
    const read = await fetch(`${url}/cases/${created.caseId}`, {
      headers: { authorization: 'Bearer token-citizen' },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    const missing = await fetch(`${url}/cases/XF-1999-000001`, {
      headers: { authorization: 'Bearer token-citizen' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });
});
