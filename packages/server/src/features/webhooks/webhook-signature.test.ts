import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook } from './webhook-signature.ts';

// The `standardwebhooks` package is an independent implementation of the same specification.
describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({
    type: 'job.completed',
    timestamp: '2026-12-07T10:00:00.000Z',
    data: { id: 'j1' },
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('verify with the standardwebhooks library', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signWebhook([secret], 'msg_1', now(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('fail verification for a tampered body, another secret or an old timestamp', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook([secret], 'msg_2', now(), body);
    expect(() => new Webhook(secret).verify(body.replace('j1', 'j2'), { ...headers })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
    const old = signWebhook([secret], 'msg_2', now() - 3600, body);
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow(/timestamp/i);
  });

  it('sign with every current secret while a rotation overlaps', () => {
    const previous = generateWebhookSecret();
    const next = generateWebhookSecret();
    const headers = signWebhook([next, previous], 'msg_3', now(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(next).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });
});
