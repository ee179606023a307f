// One zod schema per endpoint. Shapes follow the grpc-gateway JSON that @xmtp/proto's MessageApi
// sends: camelCase fields, bytes as standard base64, uint64 as decimal strings, enums as names.
import { z } from 'zod';

export const LIMITS = {
  maxBodyBytes: 1024 * 1024,
  maxTopicsPerRequest: 1000, // streamAllMessages subscribes to every conversation topic at once
  maxTopicLength: 512,
  maxBatchRequests: 50, // xmtp-js splits batch queries into groups of 50 ("implicit server-side limit")
  maxEnvelopesPerPublish: 100,
  defaultPageSize: 100,
  maxPageSize: 500, // xmtp-js asks for 500 on userpreferences- topics
  maxTokenLength: 16 * 1024,
};

const U64_MAX = (1n << 64n) - 1n;

// uint64 in proto JSON is a decimal string; numbers are accepted too (proto3 JSON allows both).
const uint64 = z
  .union([z.string().regex(/^\d{1,20}$/, 'expected a decimal string'), z.number().int().nonnegative()])
  .transform((v) => BigInt(v))
  .refine((v) => v <= U64_MAX, 'out of uint64 range');

// Proto3 JSON: 0 means "unset" for the time bounds.
const optionalTime = uint64.optional().transform((v) => (v === undefined || v === 0n ? undefined : v));

const topic = z.string().min(1).max(LIMITS.maxTopicLength);
const topics = z.array(topic).min(1).max(LIMITS.maxTopicsPerRequest);

const base64 = z
  .string()
  .min(1)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/, 'expected standard base64');

const direction = z
  .union([
    z.enum(['SORT_DIRECTION_UNSPECIFIED', 'SORT_DIRECTION_ASCENDING', 'SORT_DIRECTION_DESCENDING']),
    z.number().int().min(0).max(2),
  ])
  .optional()
  .transform((d) => d === 'SORT_DIRECTION_DESCENDING' || d === 2);

const cursor = z.object({
  index: z.object({
    digest: base64,
    senderTimeNs: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).transform(String),
  }),
});

const pagingInfo = z
  .object({
    limit: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
    direction,
    cursor: cursor.optional(),
  })
  .optional()
  .transform((p) => ({
    limit: Math.min(Math.max(p?.limit || LIMITS.defaultPageSize, 1), LIMITS.maxPageSize),
    descending: p?.direction ?? false,
    cursor: p?.cursor,
  }));

export const envelopeSchema = z.object({
  contentTopic: topic,
  timestampNs: uint64.transform((v) => v.toString()),
  message: base64,
});

export const publishSchema = z.object({
  envelopes: z.array(envelopeSchema).min(1).max(LIMITS.maxEnvelopesPerPublish),
});

export const querySchema = z
  .object({
    contentTopics: topics,
    startTimeNs: optionalTime,
    endTimeNs: optionalTime,
    pagingInfo,
  })
  .transform(({ pagingInfo: p, ...rest }) => ({ ...rest, ...p }));

export const batchQuerySchema = z.object({
  requests: z.array(querySchema).min(1).max(LIMITS.maxBatchRequests),
});

export const subscribeSchema = z.object({ contentTopics: topics });

// The shape only; the token inside is verified in auth.ts (signatures, wallet, age).
export const bearerSchema = z
  .string()
  .max(LIMITS.maxTokenLength)
  .regex(/^Bearer [A-Za-z0-9+/]+={0,2}$/, 'expected "Authorization: Bearer <base64 token>"')
  .transform((h) => h.slice('Bearer '.length));

export type QueryRequest = z.output<typeof querySchema>;
