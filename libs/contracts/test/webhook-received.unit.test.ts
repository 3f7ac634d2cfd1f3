import { WebhookReceivedContract } from '@tributary/contracts';
import { webhookReceived } from './examples';
import { expectFieldError } from './expect-field';

describe('WebhookReceived', () => {
  it('when a valid delivery is decoded, then it comes back equal', () => {
    expect(WebhookReceivedContract.decode(webhookReceived)).toEqual(webhookReceived);
  });

  it('when a Standard Webhooks delivery of an unknown event is decoded, then it is valid', () => {
    const unknown = {
      ...webhookReceived,
      event: 'practice.archived',
      known: false,
      signatureScheme: 'standard-webhooks',
      webhookTimestamp: '2024-05-18T01:59:58Z',
    };
    expect(WebhookReceivedContract.decode(unknown)).toEqual(unknown);
  });

  it('when an unknown event is flagged known, then decoding names known', () => {
    const bad = { ...webhookReceived, event: 'practice.archived', known: true };
    expectFieldError(() => WebhookReceivedContract.decode(bad), 'known');
  });

  it('when the signature scheme is unknown, then decoding names signatureScheme', () => {
    const bad = { ...webhookReceived, signatureScheme: 'none' };
    expectFieldError(() => WebhookReceivedContract.decode(bad), 'signatureScheme');
  });

  it('when the body is missing, then decoding names body', () => {
    const { body: _b, ...bad } = webhookReceived;
    expectFieldError(() => WebhookReceivedContract.decode(bad), 'body');
  });
});
