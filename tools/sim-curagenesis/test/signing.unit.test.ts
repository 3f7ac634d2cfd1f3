import { createHmac } from 'node:crypto';
import { signHmacHex, signStandardWebhooks, standardWebhooksKey } from '../src/webhooks';

describe('webhook signatures', () => {
  const body = '{"event":"practice.updated","data":{"practiceId":"PR-000001","totalOrders":3}}';

  test('when signing with the CRM scheme, then the header is the lowercase hex HMAC-SHA256 of the raw body', () => {
    const expected = createHmac('sha256', 'crm-secret').update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signHmacHex('crm-secret', body)).toBe(expected);
    expect(signHmacHex('crm-secret', Buffer.from(body))).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  test('when the body differs by one byte, then the HMAC differs', () => {
    expect(signHmacHex('crm-secret', `${body} `)).not.toBe(signHmacHex('crm-secret', body));
  });

  test('when signing Standard Webhooks with a plain secret, then the key is the secret bytes over "id.timestamp.body"', () => {
    const expected = createHmac('sha256', Buffer.from('plain-secret', 'utf8'))
      .update(`msg_1.1700000000.${body}`)
      .digest('base64');
    expect(signStandardWebhooks('plain-secret', 'msg_1', 1700000000, body)).toBe(`v1,${expected}`);
  });

  test('when the secret starts with whsec_, then the key is the base64 decoding of the rest', () => {
    const raw = Buffer.from('0123456789abcdef0123456789abcdef');
    const secret = `whsec_${raw.toString('base64')}`;
    expect(standardWebhooksKey(secret)).toEqual(raw);
    const expected = createHmac('sha256', raw).update(`msg_2.1700000001.${body}`).digest('base64');
    expect(signStandardWebhooks(secret, 'msg_2', 1700000001, body)).toBe(`v1,${expected}`);
  });

  test('when signing the published Standard Webhooks test vector, then the published signature comes out', () => {
    expect(
      signStandardWebhooks(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
