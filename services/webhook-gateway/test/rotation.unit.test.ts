import { randomBytes } from 'node:crypto';
import { signHmacHex, signStandardWebhooks } from '../../../tools/sim-curagenesis/src/webhooks';
import { signingKeys, verifySignature, type SignatureHeaders } from '../src/domain/signature';

const NOW_MS = Date.parse('2026-02-03T04:05:06Z');
const NOW_SEC = Math.floor(NOW_MS / 1000);
const body = JSON.stringify({ event: 'practice.updated', data: { practiceId: 'PR-1', state: 'TX' } });
const OLD = randomBytes(32).toString('hex');
const NEW = `whsec_${randomBytes(32).toString('base64')}`;
const OTHER = randomBytes(32).toString('hex');

const verify = (headers: SignatureHeaders, secrets: string[]) =>
  verifySignature(headers, Buffer.from(body), {
    keys: secrets.map(signingKeys),
    nowMs: NOW_MS,
    toleranceSec: 300,
  });
const standard = (secret: string, signature?: string): SignatureHeaders => ({
  webhookId: 'msg_rot',
  webhookTimestamp: String(NOW_SEC),
  webhookSignature: signature ?? signStandardWebhooks(secret, 'msg_rot', NOW_SEC, body),
});

describe('signatures with several active secrets (rotation)', () => {
  it.each([
    ['the old secret', OLD],
    ['the new whsec_ secret', NEW],
  ])('when a hex delivery is signed with %s, then it verifies while both are active', (_name, secret) => {
    expect(verify({ hexSignature: signHmacHex(secret, body) }, [OLD, NEW])).toMatchObject({ ok: true });
  });

  it.each([
    ['the old secret', OLD],
    ['the new whsec_ secret', NEW],
  ])(
    'when a Standard Webhooks delivery is signed with %s, then it verifies while both are active',
    (_name, secret) => {
      expect(verify(standard(secret), [OLD, NEW])).toMatchObject({ ok: true, scheme: 'standard-webhooks' });
    },
  );

  it('when the old secret was dropped, then its signatures are refused', () => {
    expect(verify({ hexSignature: signHmacHex(OLD, body) }, [NEW])).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verify(standard(OLD), [NEW])).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('when the sender lists a signature per secret (space-separated), then one matching entry is enough', () => {
    const both = `${signStandardWebhooks(OTHER, 'msg_rot', NOW_SEC, body)} ${signStandardWebhooks(NEW, 'msg_rot', NOW_SEC, body)}`;
    expect(verify(standard(NEW, both), [NEW])).toMatchObject({ ok: true });
    expect(verify(standard(NEW, `v2,abc ${both}`), [OLD, NEW])).toMatchObject({ ok: true });
    expect(
      verify(standard(NEW, signStandardWebhooks(OTHER, 'msg_rot', NOW_SEC, body)), [OLD, NEW]),
    ).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('when the hex header lists two signatures (spaces or commas), then one matching is enough, and a malformed entry is refused', () => {
    const list = `${signHmacHex(OTHER, body)}, ${signHmacHex(OLD, body)}`;
    expect(verify({ hexSignature: list }, [OLD])).toMatchObject({ ok: true });
    expect(verify({ hexSignature: list.replace(',', ' ') }, [NEW, OLD])).toMatchObject({ ok: true });
    expect(verify({ hexSignature: `${signHmacHex(OLD, body)} zz` }, [OLD])).toMatchObject({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verify({ hexSignature: list }, [NEW])).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('when a whsec_ secret signs the hex scheme, then the key is the whole string, as the simulator signs', () => {
    expect(verify({ hexSignature: signHmacHex(NEW, body) }, [OTHER, NEW])).toMatchObject({ ok: true });
  });
});
