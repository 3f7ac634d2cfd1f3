/**
 * The webhook sender: signs deliveries (CRM hex HMAC, Standard Webhooks, or both) and posts them to a
 * gateway, with the hostile variants a receiver must survive: duplicates, tampered body, bad or
 * missing signature, stale timestamp. Bodies come from webhook-events.ts, signatures from signing.ts.
 */
import { DependencyError, ValidationError, errorMessage } from '@tributary/core';
import { HMAC_SIGNATURE_HEADER, STANDARD_HEADERS, signHmacHex, signStandardWebhooks } from './signing';
import { WEBHOOK_PATHS, type WebhookDelivery } from './webhook-events';

export * from './signing';
export * from './webhook-events';

export type SignatureScheme = 'hmac' | 'standard' | 'both';

export interface WebhookSenderOptions {
  /** Gateway base URL, e.g. http://127.0.0.1:4000 (paths are appended). */
  targetBaseUrl: string;
  secret: string;
  scheme?: SignatureScheme;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Clock for the Standard Webhooks timestamp (default Date.now). */
  nowMs?: () => number;
}

export interface SendOptions {
  /** Sign the body, then send an altered one (true: first number in the body + 1000). */
  tamper?: boolean | ((rawBody: string) => string);
  /** Sign with a different secret (the header is well-formed but wrong). */
  badSignature?: boolean;
  /** Send no signature header (webhook-id / webhook-timestamp are still sent for the standard scheme). */
  noSignature?: boolean;
  /** Standard scheme only: timestamp this many seconds in the past (> 300 is outside the tolerance). */
  staleTimestampSec?: number;
  /** Resend the identical request (same webhook-id, timestamp, signature, body) this many extra times. */
  duplicateCount?: number;
  /** Content-Type header (default application/json). */
  contentType?: string;
}

export interface SendAttempt {
  status: number;
  /** Response body, parsed as JSON when it is JSON. */
  body: unknown;
  latencyMs: number;
  /** What was sent. */
  headers: Record<string, string>;
  rawBody: string;
}

export interface WebhookSender {
  readonly scheme: SignatureScheme;
  urlOf(delivery: WebhookDelivery): string;
  send(delivery: WebhookDelivery, options?: SendOptions): Promise<SendAttempt[]>;
}

/** Default tamper: adds 1000 to the first number found in the body (or adds a field when there is none). */
export function tamperBody(rawBody: string): string {
  const parsed: unknown = JSON.parse(rawBody);
  let done = false;
  const walk = (node: unknown): void => {
    if (done || typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (typeof record[key] === 'number') {
        record[key] = (record[key] as number) + 1000;
        done = true;
        return;
      }
      walk(record[key]);
      if (done) return;
    }
  };
  walk(parsed);
  if (!done && typeof parsed === 'object' && parsed !== null)
    (parsed as Record<string, unknown>)._tampered = true;
  return JSON.stringify(parsed);
}

/** The headers of one delivery (before any tampering of the body). */
export function signatureHeaders(
  scheme: SignatureScheme,
  secret: string,
  delivery: WebhookDelivery,
  rawBody: string,
  timestampSec: number,
  options: Pick<SendOptions, 'badSignature' | 'noSignature'> = {},
): Record<string, string> {
  // a wrong whsec_ secret stays a whsec_ secret, so the receiver takes the same key-decoding path
  const wrongSecret = secret.startsWith('whsec_')
    ? `whsec_${Buffer.from(`wrong-${secret}`).toString('base64')}`
    : `wrong-${secret}`;
  const signingSecret = options.badSignature ? wrongSecret : secret;
  const headers: Record<string, string> = {};
  if (scheme !== 'standard' && !options.noSignature)
    headers[HMAC_SIGNATURE_HEADER] = signHmacHex(signingSecret, rawBody);
  if (scheme !== 'hmac') {
    headers[STANDARD_HEADERS.id] = delivery.id;
    headers[STANDARD_HEADERS.timestamp] = String(timestampSec);
    if (!options.noSignature) {
      headers[STANDARD_HEADERS.signature] = signStandardWebhooks(
        signingSecret,
        delivery.id,
        timestampSec,
        rawBody,
      );
    }
  }
  return headers;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const scheme = options.scheme ?? 'hmac';
  const base = options.targetBaseUrl.replace(/\/+$/, '');
  const nowMs = options.nowMs ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (options.secret === '') throw new ValidationError('webhook secret must not be empty');
  const urlOf = (delivery: WebhookDelivery) => `${base}${WEBHOOK_PATHS[delivery.endpoint]}`;

  return {
    scheme,
    urlOf,
    async send(delivery, sendOptions = {}) {
      if (sendOptions.staleTimestampSec !== undefined && scheme === 'hmac') {
        throw new ValidationError(
          'staleTimestampSec needs the standard (or both) scheme: the hmac scheme has no timestamp',
        );
      }
      const signedBody = JSON.stringify(delivery.body);
      const timestampSec = Math.floor(nowMs() / 1000) - (sendOptions.staleTimestampSec ?? 0);
      const headers = {
        'content-type': sendOptions.contentType ?? 'application/json',
        ...signatureHeaders(scheme, options.secret, delivery, signedBody, timestampSec, sendOptions),
      };
      const tamper = sendOptions.tamper;
      const rawBody =
        tamper === undefined || tamper === false
          ? signedBody
          : tamper === true
            ? tamperBody(signedBody)
            : tamper(signedBody);
      const attempts: SendAttempt[] = [];
      for (let n = 0; n <= (sendOptions.duplicateCount ?? 0); n++) {
        const started = performance.now();
        let response: Response;
        try {
          response = await fetch(urlOf(delivery), {
            method: 'POST',
            headers,
            body: rawBody,
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (err) {
          throw new DependencyError(
            'WEBHOOK_SEND_FAILED',
            `POST ${urlOf(delivery)} failed: ${errorMessage(err)}`,
            {
              cause: err,
            },
          );
        }
        const body = await readBody(response);
        attempts.push({
          status: response.status,
          body,
          latencyMs: Math.round((performance.now() - started) * 10) / 10,
          headers,
          rawBody,
        });
      }
      return attempts;
    },
  };
}
