/** The screenshot decoder the browser tests count pixels with; no browser needed. */
import { deflateSync } from 'node:zlib';
import { countInkPixels, countPixelsNear, decodePng } from '../../tools/browser/png';

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  // The decoder does not check CRCs, so any four bytes do here.
  return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Encodes rows of raw pixel bytes, filtering row y with filters[y] as a PNG encoder would. */
function encodePng(
  width: number,
  colourType: number,
  channels: number,
  rows: number[][],
  filters: number[],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(rows.length, 4);
  header.set([8, colourType, 0, 0, 0], 8);
  const lines = rows.map((row, y) => {
    const above = rows[y - 1] ?? row.map(() => 0);
    const filter = filters[y]!;
    const out = row.map((value, x) => {
      const a = x >= channels ? row[x - channels]! : 0;
      const b = above[x]!;
      const c = x >= channels ? above[x - channels]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter]!;
      return (value - predictor) & 0xff;
    });
    return Buffer.from([filter, ...out]);
  });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(lines))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodePng', () => {
  // Three pixels a row, five rows: one row per filter type.
  const rgb = [
    [255, 255, 255, 29, 78, 216, 0, 0, 0],
    [194, 65, 12, 255, 255, 255, 10, 200, 30],
    [1, 2, 3, 250, 251, 252, 128, 64, 32],
    [255, 0, 255, 0, 255, 0, 77, 77, 77],
    [200, 100, 50, 255, 255, 255, 29, 78, 216],
  ];

  it.each([
    ['RGB', 2, 3, rgb],
    [
      'RGBA',
      6,
      4,
      rgb.map((row) => row.flatMap((value, index) => (index % 3 === 2 ? [value, 255] : [value]))),
    ],
  ])('decodes %s through every filter type', (_name, colourType, channels, rows) => {
    const image = decodePng(encodePng(3, colourType, channels, rows, [0, 1, 2, 3, 4]));
    expect([image.width, image.height]).toEqual([3, 5]);
    const expected = rgb.flatMap((row) =>
      row.flatMap((value, index) => (index % 3 === 2 ? [value, 255] : [value])),
    );
    expect([...image.rgba]).toEqual(expected);
  });

  it('counts ink (not white, not transparent) and pixels near a colour', () => {
    const image = decodePng(encodePng(3, 2, 3, rgb, [0, 0, 0, 0, 0]));
    // 15 pixels, of which three white and one near-white (250, 251, 252).
    expect(countInkPixels(image)).toBe(11);
    expect(countPixelsNear(image, [0x1d, 0x4e, 0xd8])).toBe(2);
  });

  it.each([
    ['no PNG at all', Buffer.from('GIF89a')],
    ['a 16-bit PNG', withByte(encodePng(1, 2, 3, [[0, 0, 0]], [0]), 24, 16)],
    ['an interlaced PNG', withByte(encodePng(1, 2, 3, [[0, 0, 0]], [0]), 28, 1)],
    ['a palette PNG', withByte(encodePng(1, 2, 3, [[0, 0, 0]], [0]), 25, 3)],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodePng(bytes)).toThrow();
  });
});

/** A copy with one byte changed: offsets 24, 25 and 28 are IHDR's depth, colour type and interlace. */
function withByte(png: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(png);
  copy[offset] = value;
  return copy;
}
