import { Readable } from 'node:stream';
import {
  HISTORY_INDEX_MAX_BYTES,
  readBounded,
  RUN_RECORD_MAX_BYTES,
} from '../../../shared/storage/boundedRead';

/** A body of `chunks` chunks of `size` bytes, counting how many were pulled. */
function body(chunks: number, size: number) {
  let pulled = 0;
  const stream = Readable.from(
    (function* () {
      for (let at = 0; at < chunks; at++) {
        pulled++;
        yield Buffer.alloc(size, 0x61);
      }
    })(),
  );
  return { stream, pulled: () => pulled };
}

describe('readBounded: a blob read back is never larger than what it can hold', () => {
  it('reads a body within the limit', async () => {
    const { stream } = body(3, 10);
    expect(await readBounded({ contentLength: 30, readableStreamBody: stream }, 30)).toEqual({
      kind: 'read',
      bytes: Buffer.alloc(30, 0x61),
    });
  });

  it('refuses by the announced size before reading a byte [bad-input]', async () => {
    const { stream, pulled } = body(1000, 1024);
    const read = await readBounded(
      { contentLength: 1024 * 1000, readableStreamBody: stream },
      4096,
    );
    expect(read).toEqual({
      kind: 'too-large',
      limit: 4096,
      detail: '1024000 bytes, over the limit of 4096',
    });
    expect(pulled()).toBe(0);
  });

  it('stops streaming once past the limit when no size was announced [bad-input]', async () => {
    const { stream, pulled } = body(1000, 1024);
    const read = await readBounded({ readableStreamBody: stream }, 4096);
    expect(read).toMatchObject({
      kind: 'too-large',
      detail: 'at least 5120 bytes, over the limit of 4096',
    });
    expect(pulled()).toBeLessThan(10);
  });

  it('reads an absent body as empty', async () => {
    expect(await readBounded({}, 10)).toEqual({ kind: 'read', bytes: Buffer.alloc(0) });
  });

  it('derives limits that hold decades of history but not a 200 MB index', () => {
    expect(HISTORY_INDEX_MAX_BYTES).toBeGreaterThan(10 * 1024 * 1024);
    expect(HISTORY_INDEX_MAX_BYTES).toBeLessThan(200 * 1024 * 1024);
    expect(RUN_RECORD_MAX_BYTES).toBeLessThan(1024 * 1024);
  });
});
