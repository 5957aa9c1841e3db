import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { StorageLogger } from '../storage/database.ts';
import type { NewRequestLog } from './request-logs.repository.ts';

/**
 * When the journal asks the disk to make appended entries durable. Every entry is written to the
 * file (the kernel) before its answer is sent, which is what a killed process needs; fsync is what a
 * machine that loses power needs.
 * - `always`: fdatasync after each entry, before the answer (each request waits for the disk).
 * - `batch`: fdatasync, off the event loop, each time the writer sends a batch to the database.
 * - `off`: the operating system writes back when it likes (Linux: within about 30 s).
 */
type JournalFsync = 'always' | 'batch' | 'off';

export interface RequestLogJournalOptions {
  dir: string;
  fsync: JournalFsync;
  logger: StorageLogger;
  /** A new segment file is started once the current one is this large. */
  segmentBytes?: number;
}

interface Segment {
  path: string;
  /** Entries of this segment not yet in the database. */
  pending: number;
  bytes: number;
}

const segmentPattern = /^segment-(\d{12})\.jsonl$/;

/**
 * Write-ahead journal of the request-log writer: each entry is appended (one JSON line) before the
 * request is answered, and forgotten once the database holds it. Entries leave the writer's buffer
 * in the order they entered it, so the journal only counts: `settle(n)` releases the n oldest
 * entries, a segment file is deleted when all of its entries are released, and the current one is
 * truncated when everything is. At start, what the files still hold is handed back for replay;
 * a line torn by a crash in the middle of a write is skipped.
 */
export class RequestLogJournal {
  readonly #options: Required<RequestLogJournalOptions>;
  readonly #segments: Segment[] = [];
  #fd: number | undefined;
  #next: number;
  #dirty = false;
  #failing = false;

  private constructor(options: RequestLogJournalOptions, next: number) {
    this.#options = { segmentBytes: 8 * 1024 * 1024, ...options };
    this.#next = next;
  }

  /** Opens (creating) the journal directory and returns the entries a previous process left. */
  static open(options: RequestLogJournalOptions): { journal: RequestLogJournal; recovered: NewRequestLog[] } {
    mkdirSync(options.dir, { recursive: true });
    const names = readdirSync(options.dir)
      .filter((name) => segmentPattern.test(name))
      .sort();
    const last = names.at(-1);
    const journal = new RequestLogJournal(options, last ? Number(segmentPattern.exec(last)?.[1]) + 1 : 1);
    const recovered: NewRequestLog[] = [];
    for (const name of names) recovered.push(...journal.#recover(join(options.dir, name)));
    return { journal, recovered };
  }

  /** Appends one entry; never throws (a disk failure is logged once and the entry is only in memory). */
  append(entry: NewRequestLog): void {
    try {
      const line = `${JSON.stringify(entry)}\n`;
      const segment = this.#activeSegment();
      writeSync(this.#fd!, line);
      segment.pending += 1;
      segment.bytes += Buffer.byteLength(line);
      if (this.#options.fsync === 'always') fdatasyncSync(this.#fd!);
      else this.#dirty = true;
      this.#failing = false;
    } catch (error) {
      // Only in memory now, but it keeps its place in the order `settle` counts.
      const tail = this.#segments.at(-1) ?? this.#placeholder();
      tail.pending += 1;
      if (!this.#failing) this.#options.logger.error({ err: error }, 'request log journal write failed');
      this.#failing = true;
    }
  }

  #placeholder(): Segment {
    const segment = { path: '', pending: 0, bytes: 0 };
    this.#segments.push(segment);
    return segment;
  }

  /** The `count` oldest entries are in the database (or were refused by it): their files can go. */
  settle(count: number): void {
    let left = count;
    while (left > 0 && this.#segments.length > 0) {
      const oldest = this.#segments[0]!;
      const released = Math.min(left, oldest.pending);
      oldest.pending -= released;
      left -= released;
      if (oldest.pending > 0) break;
      if (this.#segments.length === 1 && this.#fd !== undefined) {
        this.#truncateActive(oldest);
        break;
      }
      this.#segments.shift();
      this.#remove(oldest.path);
    }
  }

  /** With the `batch` policy, flushes what was appended since the last call to the disk. */
  sync(): void {
    if (this.#options.fsync !== 'batch' || !this.#dirty || this.#fd === undefined) return;
    this.#dirty = false;
    fdatasync(this.#fd, (error) => {
      if (error) this.#options.logger.warn({ err: error }, 'request log journal fsync failed');
    });
  }

  /** Closes the current file; whatever is not settled stays on disk for the next start. */
  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      if (this.#options.fsync !== 'off') fdatasyncSync(fd);
      closeSync(fd);
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'request log journal close failed');
    }
    const active = this.#segments.at(-1);
    if (active && active.pending === 0) {
      this.#segments.pop();
      this.#remove(active.path);
    }
  }

  #activeSegment(): Segment {
    const active = this.#segments.at(-1);
    if (active && this.#fd !== undefined && active.bytes < this.#options.segmentBytes) return active;
    if (this.#fd !== undefined) {
      const previous = this.#fd;
      this.#fd = undefined;
      closeSync(previous);
    }
    const path = join(this.#options.dir, `segment-${String(this.#next++).padStart(12, '0')}.jsonl`);
    this.#fd = openSync(path, 'a');
    const segment = { path, pending: 0, bytes: 0 };
    this.#segments.push(segment);
    return segment;
  }

  #truncateActive(segment: Segment): void {
    try {
      ftruncateSync(this.#fd!, 0);
      segment.bytes = 0;
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'request log journal truncate failed');
    }
  }

  /** The entries of a segment left by an earlier process, which then counts as pending. */
  #recover(path: string): NewRequestLog[] {
    const entries: NewRequestLog[] = [];
    let unreadable = 0;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      const entry = parseEntry(line);
      if (entry) entries.push(entry);
      else unreadable += 1;
    }
    if (unreadable > 0) {
      this.#options.logger.warn(
        { file: path, unreadable },
        'request log journal lines skipped (torn writes)',
      );
    }
    if (entries.length === 0) this.#remove(path);
    else this.#segments.push({ path, pending: entries.length, bytes: 0 });
    return entries;
  }

  #remove(path: string): void {
    if (path === '') return;
    try {
      unlinkSync(path);
    } catch (error) {
      this.#options.logger.warn({ err: error, file: path }, 'request log journal segment not removed');
    }
  }
}

function parseEntry(line: string): NewRequestLog | undefined {
  try {
    const value = JSON.parse(line) as NewRequestLog & { createdAt?: string };
    if (typeof value?.requestId !== 'string' || typeof value.validationStatus !== 'string') return undefined;
    return { ...value, createdAt: value.createdAt ? new Date(value.createdAt) : undefined };
  } catch {
    return undefined;
  }
}
