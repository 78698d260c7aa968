/**
 * shared/storage owns how the app talks to Blob Storage; this file, reading a blob's body back
 * with a size limit. Data the app wrote can be replaced by anyone with access to the container,
 * so nothing read back is trusted to be small: the size the service announces is checked before
 * the body is read, and the count is enforced while streaming (the announced size can be absent
 * or wrong). Hand-written: the SDK's download has no size limit of its own.
 */

/** What the body of a download came to. */
export type BoundedBody =
  | { readonly kind: 'read'; readonly bytes: Buffer }
  | {
      readonly kind: 'too-large';
      readonly limit: number;
      /** The announced or counted size when known; `at least` when cut off while streaming. */
      readonly detail: string;
    };

/** The parts of the SDK's download response this reads. */
export interface DownloadedBlob {
  readonly contentLength?: number;
  readonly readableStreamBody?: NodeJS.ReadableStream;
}

function discard(stream: NodeJS.ReadableStream | undefined): void {
  // Closing the socket stops the transfer; a stream without destroy is simply left unread.
  (stream as { destroy?: () => void } | undefined)?.destroy?.();
}

/** The body of `response` when it holds at most `maxBytes`, else `too-large`, unread. */
export async function readBounded(
  response: DownloadedBlob,
  maxBytes: number,
): Promise<BoundedBody> {
  const stream = response.readableStreamBody;
  if (response.contentLength !== undefined && response.contentLength > maxBytes) {
    discard(stream);
    return {
      kind: 'too-large',
      limit: maxBytes,
      detail: `${response.contentLength} bytes, over the limit of ${maxBytes}`,
    };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream ?? []) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += bytes.length;
    if (total > maxBytes) {
      discard(stream);
      return {
        kind: 'too-large',
        limit: maxBytes,
        detail: `at least ${total} bytes, over the limit of ${maxBytes}`,
      };
    }
    chunks.push(bytes);
  }
  return { kind: 'read', bytes: Buffer.concat(chunks) };
}

/** Kept small: a run record is a few hundred bytes of JSON. */
export const RUN_RECORD_MAX_BYTES = 64 * 1024;

/**
 * The history index's limit, derived from what it can hold: a row per report date over
 * `INDEX_MAX_YEARS` years, and per date a snapshot of each of the 4 periods with up to
 * `INDEX_COPIES_PER_DATE` copies (the original and its restatements), each at a generous size.
 */
export const INDEX_MAX_YEARS = 30;
export const INDEX_COPIES_PER_DATE = 3;
export const INDEX_ENTRY_BYTES = 512;
export const INDEX_SNAPSHOT_BYTES = 256;
export const HISTORY_INDEX_MAX_BYTES = (() => {
  const days = Math.ceil(INDEX_MAX_YEARS * 365.25);
  return days * INDEX_ENTRY_BYTES + days * 4 * INDEX_COPIES_PER_DATE * INDEX_SNAPSHOT_BYTES;
})();
