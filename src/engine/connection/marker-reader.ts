// Reads one output stream of a persistent shell and cuts it at marker strings. Output can be
// megabytes in many chunks, so only the bytes a marker could still span are searched again.

interface Waiter {
  marker: Buffer;
  /** Absolute offset from which the marker has not been searched for yet. */
  searchFrom: number;
  resolve(before: Buffer): void;
  reject(error: Error): void;
}

export class MarkerReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiter: Waiter | undefined;
  private endedWith: Error | undefined;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.search();
  }

  /** The stream is gone: a pending and every later wait fails with `reason`. */
  end(reason: Error): void {
    if (this.endedWith) return;
    this.endedWith = reason;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(reason);
  }

  /** Resolves with the bytes before the next `marker` and consumes them and the marker. */
  until(marker: string): Promise<Buffer> {
    if (this.waiter) throw new Error("MarkerReader: a wait is already pending");
    if (this.endedWith) return Promise.reject(this.endedWith);
    return new Promise<Buffer>((resolve, reject) => {
      this.waiter = { marker: Buffer.from(marker, "utf8"), searchFrom: 0, resolve, reject };
      this.search();
    });
  }

  /** Drops a pending wait (its promise never settles); buffered bytes stay. */
  cancel(): void {
    this.waiter = undefined;
  }

  /** Everything buffered so far, removed from the reader. */
  take(): Buffer {
    const all = Buffer.concat(this.chunks, this.length);
    this.chunks = [];
    this.length = 0;
    return all;
  }

  private search(): void {
    const waiter = this.waiter;
    if (!waiter || this.length - waiter.searchFrom < waiter.marker.length) return;
    const window = this.tailFrom(waiter.searchFrom);
    const at = window.indexOf(waiter.marker);
    if (at === -1) {
      waiter.searchFrom = this.length - waiter.marker.length + 1;
      return;
    }
    const end = waiter.searchFrom + at;
    const all = this.take();
    const rest = all.subarray(end + waiter.marker.length);
    if (rest.length > 0) {
      this.chunks.push(rest);
      this.length = rest.length;
    }
    this.waiter = undefined;
    waiter.resolve(all.subarray(0, end));
  }

  /** The buffered bytes from absolute offset `from` to the end, as one buffer. */
  private tailFrom(from: number): Buffer {
    const parts: Buffer[] = [];
    let start = this.length;
    for (let i = this.chunks.length - 1; i >= 0 && start > from; i--) {
      const chunk = this.chunks[i];
      start -= chunk.length;
      parts.unshift(start >= from ? chunk : chunk.subarray(from - start));
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}
