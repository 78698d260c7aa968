/**
 * Just enough PNG decoding to count pixels in a browser screenshot: 8-bit greyscale, RGB and
 * RGBA (with or without alpha), not interlaced, which is what Chromium writes. Anything else
 * is refused rather than misread.
 */
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** RGBA, four bytes a pixel, row by row. */
  readonly rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG.');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [bitDepth, colourType, , , interlace] = [
        body[8],
        body[9],
        body[10],
        body[11],
        body[12],
      ];
      channels = CHANNELS[colourType ?? -1] ?? 0;
      if (bitDepth !== 8 || !channels || interlace !== 0) {
        throw new Error(`Unsupported PNG: depth ${bitDepth}, colour type ${colourType}.`);
      }
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const above = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0;
      const b = above[x]!;
      const c = x >= channels ? above[x - channels]! : 0;
      const value = line[x]!;
      out[x] =
        (filter === 0
          ? value
          : filter === 1
            ? value + a
            : filter === 2
              ? value + b
              : filter === 3
                ? value + ((a + b) >> 1)
                : value + paeth(a, b, c)) & 0xff;
    }
    if (filter === undefined || filter > 4) throw new Error(`Bad PNG filter ${filter}.`);
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let index = 0; index < width * height; index++) {
    const source = index * channels;
    const grey = channels <= 2;
    rgba[index * 4] = pixels[source]!;
    rgba[index * 4 + 1] = pixels[grey ? source : source + 1]!;
    rgba[index * 4 + 2] = pixels[grey ? source : source + 2]!;
    rgba[index * 4 + 3] =
      channels === 4 ? pixels[source + 3]! : channels === 2 ? pixels[source + 1]! : 255;
  }
  return { width, height, rgba };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Pixels that are visibly not white (and not transparent): ink on the page. */
export function countInkPixels(image: DecodedPng, threshold = 240): number {
  let count = 0;
  for (let index = 0; index < image.width * image.height; index++) {
    const [r, g, b, a] = image.rgba.subarray(index * 4, index * 4 + 4);
    if (a! > 0 && (r! < threshold || g! < threshold || b! < threshold)) count++;
  }
  return count;
}

/** Pixels close to a colour, e.g. a series' line colour. */
export function countPixelsNear(
  image: DecodedPng,
  colour: readonly [number, number, number],
  tolerance = 40,
): number {
  let count = 0;
  for (let index = 0; index < image.width * image.height; index++) {
    const [r, g, b] = image.rgba.subarray(index * 4, index * 4 + 3);
    if (
      Math.abs(r! - colour[0]) <= tolerance &&
      Math.abs(g! - colour[1]) <= tolerance &&
      Math.abs(b! - colour[2]) <= tolerance
    ) {
      count++;
    }
  }
  return count;
}
