// The bytes one stream of the long-lived virsh (stdout or stderr) has sent since the last
// command ended, and where a given marker first appears in them. Large outputs (a bulk
// `domstats` of thousands of VMs) arrive in many chunks: each chunk is searched once, with the
// few bytes before it that a marker could straddle, and the chunks are joined only once the
// marker is there — never a copy of everything per chunk.

export class ShellOutput {
  private chunks: Buffer[] = [];
  private length = 0;
  private marker?: Buffer;
  /** Where the watched marker starts, once seen. */
  private found = -1;
  /** How far the watched marker has been looked for. */
  private searched = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.search();
  }

  /** Look for `marker` from now on (from the start of what is held). */
  watch(marker: string): void {
    this.marker = Buffer.from(marker, 'utf8');
    this.found = -1;
    this.searched = 0;
    this.search();
  }

  /** Whether the watched marker has arrived. */
  hasMarker(): boolean {
    return this.found >= 0;
  }

  /** Everything held up to the end of the watched marker, once it has arrived; what follows it
   *  stays held. Undefined while the marker has not arrived. */
  takeThroughMarker(): Buffer | undefined {
    if (this.found < 0 || !this.marker) return undefined;
    const all = this.joined();
    const end = this.found + this.marker.length;
    const rest = all.subarray(end);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    this.marker = undefined;
    this.found = -1;
    this.searched = 0;
    return all.subarray(0, end);
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
    this.found = -1;
    this.searched = 0;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private search(): void {
    const marker = this.marker;
    if (!marker || this.found >= 0 || this.length < marker.length) return;
    // Only the bytes not yet searched, plus the marker's length less one before them.
    const from = Math.max(0, this.searched - (marker.length - 1));
    let offset = 0;
    const parts: Buffer[] = [];
    for (const c of this.chunks) {
      if (offset + c.length > from) parts.push(offset >= from ? c : c.subarray(from - offset));
      offset += c.length;
    }
    const at = Buffer.concat(parts).indexOf(marker);
    this.searched = this.length;
    if (at >= 0) this.found = from + at;
  }
}
