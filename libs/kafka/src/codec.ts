import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  DependencyError,
  TributaryError,
  ValidationError,
  errorMessage,
  type ErrorCode,
} from '@tributary/core';
import { LogEvents } from '@tributary/observability';
import type { KafkaLogger } from './client';
import type { ContractLike } from './contract';
import { schemaTypeCaseMiddleware, timeoutMiddleware } from './registry-middleware';
import { frame, parseJsonPayload, unframe } from './wire-format';

export type Compatibility = `${COMPATIBILITY}`;

export interface SchemaCodecOptions {
  /** The Confluent-compatible API, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  url: string;
  clientId?: string;
  /** Compatibility level set on subjects this codec registers (default BACKWARD). */
  compatibility?: Compatibility;
  /** Per-request timeout, ms (default 10000). */
  requestTimeoutMs?: number;
  /** Retries of failed registry requests (5xx, network), default 3. */
  retries?: number;
  /** HTTP basic auth (`SCHEMA_REGISTRY_USERNAME` / `SCHEMA_REGISTRY_PASSWORD`; Confluent Cloud: API key and secret). */
  auth?: { username: string; password: string };
  logger?: KafkaLogger;
}

/** A schema change the registry refused under the subject's compatibility rule. */
export class SchemaIncompatibleError extends TributaryError {
  constructor(subject: string, message: string, cause?: unknown) {
    super('SCHEMA_INCOMPATIBLE', `schema for ${subject} refused by the registry: ${message}`, {
      retriable: false,
      cause,
      details: { subject },
    });
  }
}

const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket|timeout/i;

/** A registry client failure as a TributaryError (`what` says what was being done). */
export function registryError(
  err: unknown,
  what: string,
  details: Record<string, unknown> = {},
): TributaryError {
  if (err instanceof TributaryError) return err;
  const name = err instanceof Error ? err.name : '';
  const status = (err as { status?: unknown } | null)?.status;
  const message = `${what}: ${errorMessage(err)}`;
  const final = (code: ErrorCode) =>
    new TributaryError(code, message, { retriable: false, cause: err, details });
  if (name === 'ConfluentSchemaRegistryArgumentError') return final('SCHEMA_INVALID');
  if (typeof status === 'number') {
    if (status === 409 && typeof details.subject === 'string') {
      return new SchemaIncompatibleError(details.subject, errorMessage(err), err);
    }
    if (status === 422) return final('SCHEMA_INVALID');
    if (status === 404) return final('SCHEMA_NOT_FOUND');
    if (status === 401 || status === 403) return final('SCHEMA_REGISTRY_UNAUTHORIZED');
    // mappersmith reports a connection failure as a 400 carrying the socket error.
    if (status === 400 && !NETWORK_FAILURE.test(errorMessage(err))) return final('SCHEMA_REGISTRY_REJECTED');
  }
  return new DependencyError('SCHEMA_REGISTRY_UNAVAILABLE', message, { cause: err, details });
}

/**
 * Values framed in the Confluent wire format with JSON Schemas from the schema registry, through
 * @kafkajs/confluent-schema-registry. The contract (zod) is the authority: `encode` validates with
 * it and frames the JSON, `decode` ends with `contract.decode` (upcast + parse); Ajv, against the
 * registered schema, checks only values decoded without a contract. Nothing connects before the
 * first call.
 */
/** decodeKnown's answer for a schema id not read from the registry yet. */
export const NOT_YET: unique symbol = Symbol('schema id not read yet');

export class SchemaCodec {
  private readonly registry: SchemaRegistry;
  private readonly url: string;
  private readonly compatibility: Compatibility;
  private readonly logger?: KafkaLogger;
  private readonly requestTimeoutMs: number;
  /** `Basic ...` when the registry needs credentials (never logged). */
  private readonly authorization?: string;
  /** Registered schema id by subject and schema text; a failed registration is forgotten. */
  private readonly registered = new Map<string, Promise<number>>();
  /** Schema text and `registered` key by contract object. */
  private readonly schemaTexts = new WeakMap<object, { schema: string; key: string }>();
  /** Schema ids the registry answered for (decodeKnown decodes their values without a wait). */
  private readonly knownSchemaIds = new Set<number>();

  constructor(options: SchemaCodecOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.compatibility = options.compatibility ?? 'BACKWARD';
    this.logger = options.logger;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    if (options.auth) {
      this.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
    }
    this.registry = new SchemaRegistry(
      {
        host: this.url,
        ...(options.auth
          ? { auth: { username: options.auth.username, password: options.auth.password } }
          : {}),
        clientId: options.clientId ?? 'tributary',
        retry: { retries: options.retries ?? 3 },
        middlewares: [schemaTypeCaseMiddleware, timeoutMiddleware(this.requestTimeoutMs)],
      },
      // Zod is the authority: Ajv only re-checks, so a keyword or format it does not know is ignored.
      { [SchemaType.JSON]: { strict: false, allErrors: true, logger: false } },
    );
  }

  /**
   * Registers `contract.jsonSchema()` under `contract.subject` (once per process: the id is
   * cached) and makes sure the subject's compatibility is set. Returns the schema id. A change the
   * registry refuses throws SchemaIncompatibleError (SCHEMA_INCOMPATIBLE).
   */
  register(contract: ContractLike<unknown>): Promise<number> {
    // The schema text of a contract object is computed once (encode calls this for every record).
    let known = this.schemaTexts.get(contract);
    if (known === undefined) {
      const schema = JSON.stringify(contract.jsonSchema());
      known = { schema, key: `${contract.subject}\u0000${schema}` };
      this.schemaTexts.set(contract, known);
    }
    const { schema, key } = known;
    let pending = this.registered.get(key);
    if (!pending) {
      pending = this.registerNow(contract.subject, schema);
      this.registered.set(key, pending);
      pending.catch(() => this.registered.delete(key));
    }
    return pending;
  }

  /** Validates `value` with the contract, then frames it: magic byte 0, schema id, JSON. */
  async encode<T>(contract: ContractLike<T>, value: T): Promise<Buffer> {
    let parsed: T;
    try {
      parsed = contract.decode(value);
    } catch (err) {
      throw asValidationError(err, `${contract.topic}: value does not satisfy its contract`, {
        topic: contract.topic,
      });
    }
    const schemaId = await this.register(contract);
    // The contract just validated the value, and the registered JSON Schema is generated from that
    // same contract: re-checking with Ajv would only spend CPU on every record.
    return frame(schemaId, Buffer.from(JSON.stringify(parsed)));
  }

  /**
   * Reads a framed value: checks the magic byte and that the schema id is known to the registry,
   * parses the JSON, then upcasts and validates it with the contract (without a contract, checks it
   * against the writer's schema). A value that can never be read throws ValidationError (dead-letter
   * it); a registry that cannot be reached throws a retriable DependencyError (retry).
   */
  async decode<T = unknown>(buffer: Buffer | null | undefined, contract?: ContractLike<T>): Promise<T> {
    const { schemaId, payload } = unframe(buffer);
    try {
      await this.registry.getSchema(schemaId);
      this.knownSchemaIds.add(schemaId);
    } catch (err) {
      const status = (err as { status?: unknown } | null)?.status;
      if (status === 404) {
        throw new ValidationError(`unknown schema id ${schemaId}`, {
          cause: err,
          details: { reason: 'unknown_schema_id', schemaId },
        });
      }
      const failure = registryError(err, `fetch schema ${schemaId}`, { schemaId });
      if (failure.retriable) throw failure;
      throw new ValidationError(`schema ${schemaId} cannot be used: ${failure.message}`, {
        cause: failure,
        details: { reason: 'unusable_schema', schemaId },
      });
    }
    if (!contract) {
      try {
        return (await this.registry.decode(buffer as Buffer)) as T;
      } catch (err) {
        throw asValidationError(err, `value does not match schema ${schemaId}`, {
          reason: 'schema',
          schemaId,
        });
      }
    }
    return this.decodeWith(contract, payload, schemaId);
  }

  /**
   * `decode` with a contract, done now when the value's schema id was read from the registry before
   * (the registry client caches it for good): no promise and no wait per record on the projector's
   * hot path. NOT_YET when the id is new: call `decode`. Throws what `decode` would reject with.
   */
  decodeKnown<T>(buffer: Buffer | null | undefined, contract: ContractLike<T>): T | typeof NOT_YET {
    const { schemaId, payload } = unframe(buffer);
    if (!this.knownSchemaIds.has(schemaId)) return NOT_YET;
    return this.decodeWith(contract, payload, schemaId);
  }

  private decodeWith<T>(contract: ContractLike<T>, payload: Buffer, schemaId: number): T {
    // With a contract, the contract is the check (it also reads older versions the schema of the
    // writer does not describe, through its upcasters); Ajv checks only values read without one.
    const value = parseJsonPayload(payload);
    try {
      return contract.decode(value);
    } catch (err) {
      throw asValidationError(err, `${contract.topic}: value does not satisfy its contract`, {
        reason: 'contract',
        topic: contract.topic,
        schemaId,
      });
    }
  }

  /** Forgets cached ids (the HTTP client holds no connection open between calls). */
  close(): void {
    this.registered.clear();
  }

  private async registerNow(subject: string, schema: string): Promise<number> {
    const confluentSchema = { type: SchemaType.JSON as const, schema };
    const target = this.compatibility as COMPATIBILITY;
    let id: number;
    try {
      ({ id } = await this.registry.register(confluentSchema, { subject, compatibility: target }));
    } catch (err) {
      const compatibilityRefused =
        err instanceof Error && err.name === 'ConfluentSchemaRegistryCompatibilityError';
      // Another service created the subject's compatibility rule at the same moment (Apicurio
      // answers 409 "A rule named 'COMPATIBILITY' already exists"): the rule is there now, go on.
      if (!compatibilityRefused && !isRuleCreationRace(err)) {
        throw registryError(err, `register ${subject}`, { subject });
      }
      // The subject exists with another level (Apicurio's default for a subject is NONE). NONE is
      // raised to ours; a level an operator chose on purpose is kept.
      const current = await this.getCompatibility(subject);
      let level = current;
      if (current === undefined || current === 'NONE') {
        await this.setCompatibility(subject, this.compatibility);
        level = this.compatibility;
      } else {
        this.logger?.warn(LogEvents.schemaRegistered, `${subject} keeps compatibility ${current}`, {
          subject,
          compatibility: current,
          wanted: this.compatibility,
        });
      }
      try {
        ({ id } = await this.registry.register(confluentSchema, {
          subject,
          compatibility: level as COMPATIBILITY,
          updateConfig: false,
        }));
      } catch (retryErr) {
        throw registryError(retryErr, `register ${subject}`, { subject });
      }
    }
    // Start-up chatter (every service registers every contract it uses): debug.
    this.logger?.debug(LogEvents.schemaRegistered, `schema of ${subject} registered as id ${id}`, {
      subject,
      id,
    });
    return id;
  }

  /** `GET {url}/config/{subject}`: the subject's own level, or undefined when it has none. */
  async getCompatibility(subject: string): Promise<string | undefined> {
    const res = await this.request('GET', `/config/${encodeURIComponent(subject)}`);
    if (res.status === 404) return undefined;
    const body = (await res.json()) as { compatibilityLevel?: string; compatibility?: string };
    return (body.compatibilityLevel ?? body.compatibility)?.toUpperCase();
  }

  /** `PUT {url}/config/{subject}` `{"compatibility": level}`. */
  async setCompatibility(subject: string, level: Compatibility): Promise<void> {
    const res = await this.request('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
    if (!res.ok) {
      const text = await res.text();
      if (isRuleCreationRace(Object.assign(new Error(text), { status: res.status }))) return;
      throw registryError(
        Object.assign(new Error(`HTTP ${res.status}: ${text}`), { status: res.status }),
        `set compatibility of ${subject}`,
        { subject },
      );
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method,
        headers: {
          'Content-Type': 'application/vnd.schemaregistry.v1+json',
          Accept: 'application/json',
          ...(this.authorization ? { Authorization: this.authorization } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (err) {
      throw new DependencyError('SCHEMA_REGISTRY_UNAVAILABLE', `${method} ${path}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
}

function asValidationError(err: unknown, what: string, details: Record<string, unknown>): ValidationError {
  if (err instanceof ValidationError) return err;
  return new ValidationError(`${what}: ${errorMessage(err)}`, { cause: err, details });
}

/** A 409 from the registry saying a rule was created by someone else meanwhile (a start-up race). */
export function isRuleCreationRace(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return status === 409 && /rule named .* already exists/i.test(errorMessage(err));
}
