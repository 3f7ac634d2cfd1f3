import { createHmac } from 'node:crypto';
import {
  signHmacHex,
  signStandardWebhooks,
  signatureHeaders,
} from '../../../tools/sim-curagenesis/src/webhooks';
import {
  constantTimeEqual,
  signingKeys,
  verifySignature,
  type SignatureHeaders,
} from '../src/domain/signature';

const SECRET = 'crm-secret';
const WHSEC = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const NOW_MS = 1_700_000_000_000;
const NOW_SEC = NOW_MS / 1000;
const body = '{"event":"practice.updated","data":{"practiceId":"PR-000001","totalOrders":3}}';
const raw = Buffer.from(body);

function verify(headers: SignatureHeaders, secret = SECRET, rawBody = raw, nowMs = NOW_MS) {
  return verifySignature(headers, rawBody, { keys: signingKeys(secret), nowMs, toleranceSec: 300 });
}

function standard(secret: string, id = 'msg_1', ts = NOW_SEC, signedBody = body): SignatureHeaders {
  return {
    webhookId: id,
    webhookTimestamp: String(ts),
    webhookSignature: signStandardWebhooks(secret, id, ts, signedBody),
  };
}

describe('verifySignature, CRM hex scheme', () => {
  it('when the hex HMAC of the raw body matches, then it is accepted with no webhook id', () => {
    expect(verify({ hexSignature: signHmacHex(SECRET, body) })).toEqual({
      ok: true,
      scheme: 'hmac-sha256-hex',
      webhookId: null,
      timestampSec: null,
    });
  });

  it('when the hex is upper case, then the same bytes are accepted', () => {
    expect(verify({ hexSignature: signHmacHex(SECRET, body).toUpperCase() })).toMatchObject({ ok: true });
  });

  it('when signed with another secret, then bad_signature', () => {
    expect(verify({ hexSignature: signHmacHex('wrong', body) })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('when the body was changed after signing, then bad_signature', () => {
    const tampered = Buffer.from(body.replace('3', '1003'));
    expect(verify({ hexSignature: signHmacHex(SECRET, body) }, SECRET, tampered)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['one digit short', (s: string) => s.slice(1)],
    ['one digit long', (s: string) => `${s}0`],
    ['not hex', (s: string) => `${s.slice(2)}zz`],
    ['empty', () => ''],
    ['base64 of the right bytes', (s: string) => Buffer.from(s, 'hex').toString('base64')],
  ])('when the signature is %s, then malformed_signature (and nothing throws)', (_name, alter) => {
    expect(verify({ hexSignature: alter(signHmacHex(SECRET, body)) })).toMatchObject({
      ok: false,
      reason: 'malformed_signature',
    });
  });

  it('when a whsec_ secret is used, then the hex key is the whole secret string, as the simulator signs', () => {
    expect(verify({ hexSignature: signHmacHex(WHSEC, body) }, WHSEC)).toMatchObject({ ok: true });
  });

  it('when no signature header is sent, then missing_signature', () => {
    expect(verify({})).toMatchObject({ ok: false, reason: 'missing_signature' });
  });
});

describe('verifySignature, Standard Webhooks', () => {
  it('when the v1 signature over id.timestamp.body matches (plain secret), then accepted with its id and timestamp', () => {
    expect(verify(standard(SECRET))).toEqual({
      ok: true,
      scheme: 'standard-webhooks',
      webhookId: 'msg_1',
      timestampSec: NOW_SEC,
    });
  });

  it('when the secret is whsec_<base64>, then the key is the decoded bytes', () => {
    expect(verify(standard(WHSEC), WHSEC)).toMatchObject({ ok: true });
    // signed with the secret string's bytes instead of the decoded key: refused
    const signature = `v1,${createHmac('sha256', WHSEC).update(`msg_1.${NOW_SEC}.${body}`).digest('base64')}`;
    expect(verify({ ...standard(WHSEC), webhookSignature: signature }, WHSEC)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('when given the published Standard Webhooks test vector, then it verifies', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = {
      webhookId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      webhookTimestamp: '1614265330',
      webhookSignature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    expect(verify(headers, secret, Buffer.from('{"test": 2432232314}'), 1614265330_000)).toMatchObject({
      ok: true,
    });
  });

  it('when several signatures are listed and one matches, then accepted', () => {
    const good = standard(SECRET);
    const other = signStandardWebhooks('old-secret', 'msg_1', NOW_SEC, body);
    expect(verify({ ...good, webhookSignature: `v1a,abc ${other} ${good.webhookSignature}` })).toMatchObject({
      ok: true,
    });
  });

  it('when the id or the timestamp differs from what was signed, then bad_signature', () => {
    const signed = standard(SECRET);
    expect(verify({ ...signed, webhookId: 'msg_2' })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(verify({ ...signed, webhookTimestamp: String(NOW_SEC - 1) })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('when no entry is a 32-byte v1 signature, then malformed_signature', () => {
    for (const signature of ['v2,abc', 'v1,', 'v1,AAAA', 'v1,not base64!', 'garbage']) {
      expect(verify({ ...standard(SECRET), webhookSignature: signature })).toMatchObject({
        ok: false,
        reason: 'malformed_signature',
      });
    }
  });

  it.each([
    ['301 s old', NOW_SEC - 301],
    ['301 s ahead', NOW_SEC + 301],
  ])('when the timestamp is %s, then stale_timestamp even with a valid signature', (_name, ts) => {
    expect(verify(standard(SECRET, 'msg_1', ts))).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it('when the timestamp is 300 s old, then it is still within the tolerance', () => {
    expect(verify(standard(SECRET, 'msg_1', NOW_SEC - 300))).toMatchObject({ ok: true });
  });

  it('when the timestamp is not unix seconds, then bad_timestamp', () => {
    const signed = standard(SECRET);
    expect(verify({ ...signed, webhookTimestamp: '2024-01-01T00:00:00Z' })).toMatchObject({
      ok: false,
      reason: 'bad_timestamp',
    });
  });

  it('when webhook-id and webhook-timestamp come without a signature, then missing_signature', () => {
    const { webhookSignature: _s, ...rest } = standard(SECRET);
    expect(verify(rest)).toMatchObject({ ok: false, reason: 'missing_signature' });
  });

  it('when a hex signature comes with a webhook-id the standard signature does not cover, then incomplete_headers', () => {
    expect(verify({ hexSignature: signHmacHex(SECRET, body), webhookId: 'msg_forged' })).toMatchObject({
      ok: false,
      reason: 'incomplete_headers',
    });
  });
});

describe('verifySignature, both schemes at once (the simulator default)', () => {
  it('when both signatures match, then accepted as Standard Webhooks (the id is authenticated)', () => {
    expect(verify({ hexSignature: signHmacHex(SECRET, body), ...standard(SECRET) })).toMatchObject({
      ok: true,
      scheme: 'standard-webhooks',
      webhookId: 'msg_1',
    });
  });

  it('when the timestamp is stale, then refused although the timestamp-less hex signature still matches', () => {
    const headers = { hexSignature: signHmacHex(SECRET, body), ...standard(SECRET, 'msg_1', NOW_SEC - 3600) };
    expect(verify(headers)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it('when one of the two signatures is wrong, then bad_signature', () => {
    expect(verify({ hexSignature: signHmacHex('wrong', body), ...standard(SECRET) })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verify({ hexSignature: signHmacHex(SECRET, body), ...standard('wrong') })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each(['hmac', 'standard', 'both'] as const)(
    'when the simulator signs with the %s scheme, then its headers verify, and its bad-signature variant does not',
    (scheme) => {
      for (const secret of [SECRET, WHSEC]) {
        const delivery = {
          endpoint: 'practice-update' as const,
          event: 'practice.updated' as const,
          id: 'msg_sim',
          body: {},
        };
        const toHeaders = (h: Record<string, string>): SignatureHeaders => ({
          hexSignature: h['x-webhook-signature'],
          webhookId: h['webhook-id'],
          webhookTimestamp: h['webhook-timestamp'],
          webhookSignature: h['webhook-signature'],
        });
        const good = toHeaders(signatureHeaders(scheme, secret, delivery, body, NOW_SEC));
        expect(verify(good, secret)).toMatchObject({ ok: true });
        const bad = toHeaders(
          signatureHeaders(scheme, secret, delivery, body, NOW_SEC, { badSignature: true }),
        );
        expect(verify(bad, secret)).toMatchObject({ ok: false, reason: 'bad_signature' });
      }
    },
  );
});

describe('constant-time comparison', () => {
  // The module object itself (a namespace import would be a copy the spy cannot reach).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require('node:crypto') as typeof import('node:crypto');
  afterEach(() => jest.restoreAllMocks());

  it('when lengths differ, then false without calling timingSafeEqual (which would throw)', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(spy).not.toHaveBeenCalled();
  });

  it('when lengths are equal, then the comparison goes through crypto.timingSafeEqual', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    expect(constantTimeEqual(Buffer.from('abcd'), Buffer.from('abcd'))).toBe(true);
    expect(constantTimeEqual(Buffer.from('abcd'), Buffer.from('abce'))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('when a hex signature is verified, then it is compared with timingSafeEqual, never with ===', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    verify({ hexSignature: signHmacHex('wrong', body) });
    verify(standard('wrong'));
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
