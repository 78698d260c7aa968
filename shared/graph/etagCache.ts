/**
 * The last CSV and its ETag per report and period, so Graph can answer 304 instead of the bytes.
 * In process memory for now; an implementation over Blob can share it across instances later.
 */
export interface CachedReport {
  readonly etag: string;
  readonly bytes: Buffer;
}

export interface EtagCache {
  get(key: string): CachedReport | undefined;
  set(key: string, value: CachedReport): void;
}

export class MemoryEtagCache implements EtagCache {
  private readonly entries = new Map<string, CachedReport>();
  get(key: string) {
    return this.entries.get(key);
  }
  set(key: string, value: CachedReport) {
    this.entries.set(key, value);
  }
}
