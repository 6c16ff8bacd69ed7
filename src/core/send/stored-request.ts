// A batch's request body as first sent, kept with the batch so every retry hands the provider the same bytes whatever
// was deployed in between (templates, MAIL_FROM, PUBLIC_URL, APP_SECRET). Web-standard streams: Node and Workers alike.
import type { BatchBody } from '../../mail/batch-body.js';

/** What `delivery_batches.body` holds: the JSON as text, or its raw DEFLATE bytes (told apart by SQL type: TEXT or BLOB). */
export type StoredRequest = string | Uint8Array;

/**
 * Up to this size the body is kept as text, readable and redactable by an erase in place: one confirmation (~8 KB)
 * costs less to write than a CompressionStream costs to start (a few hundred µs). Above it a batch of near-identical
 * mails shrinks ~50× (100 confirmations: 820 KB → 15 KB for ~20-25 µs per mail), far cheaper than writing, and later
 * zeroing, the text (~90 µs per mail measured).
 */
const COMPRESS_ABOVE_CHARS = 32 * 1024;

/** D1 rows hold at most 2 MB; the batch row carries its other columns too, so a stored request stays well under. */
export const MAX_STORED_REQUEST_BYTES = 1_000_000;

/** The form to keep; a body it had to encode keeps its bytes (`body.bytes`), so the mailer sends those as they are. */
export async function encodeRequest(body: BatchBody): Promise<StoredRequest> {
  if (body.json.length <= COMPRESS_ABOVE_CHARS) return body.json;
  body.bytes ??= new TextEncoder().encode(body.json);
  return pipe(body.bytes, new CompressionStream('deflate-raw'));
}

/** Bytes the stored request takes (text is under the compression threshold: at most 32 K characters). */
export function storedSize(stored: StoredRequest): number {
  return typeof stored === 'string' ? stored.length : stored.byteLength;
}

/** Reads a stored request back; BLOBs arrive as Buffer (better-sqlite3), ArrayBuffer or an array of bytes (D1). */
export async function decodeRequest(stored: unknown): Promise<BatchBody> {
  let json: string;
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (typeof stored === 'string') json = stored;
  else {
    const raw =
      // a database never hands out a SharedArrayBuffer
      stored instanceof Uint8Array
        ? (stored as Uint8Array<ArrayBuffer>)
        : stored instanceof ArrayBuffer
          ? new Uint8Array(stored)
          : Array.isArray(stored)
            ? Uint8Array.from(stored as number[])
            : null;
    if (!raw) throw new Error(`stored request of unexpected type ${typeof stored}`);
    bytes = await pipe(raw, new DecompressionStream('deflate-raw'));
    json = new TextDecoder().decode(bytes);
  }
  // Only retries read this back, so counting by parsing is cheap enough; the count pairs the provider's ids with rows.
  return { json, count: (JSON.parse(json) as unknown[]).length, ...(bytes && { bytes }) };
}

async function pipe(input: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const writer = stream.writable.getWriter();
  // Not awaited before reading: the write only settles once the output is drained.
  const written = writer.write(input).then(() => writer.close());
  written.catch(() => undefined); // a corrupt input fails the reader too; awaited below when it does not
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  await written;
  if (chunks.length === 1 && chunks[0].buffer instanceof ArrayBuffer) return chunks[0] as Uint8Array<ArrayBuffer>;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
