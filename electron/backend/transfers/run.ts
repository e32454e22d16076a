// One transfer while it runs: its byte count and rate (ProgressMeter), the SHA-256 of what was
// sent, its progress pushed a few times a second, its cancel, and the clean-up steps that undo
// what it created (run last-first, so a stream is stopped before its volume is deleted).
import { createHash } from 'node:crypto';
import type { BackendEvent, TransferKind, TransferProgress, TransferState } from '../../../shared/contract/index.js';
import { ProgressMeter } from '../../../shared/transfers/index.js';

const EMIT_EVERY_MS = 250;

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
  }
}

export class TransferRun {
  private meter = new ProgressMeter(0);
  private readonly hash = createHash('sha256');
  private readonly controller = new AbortController();
  private readonly undo: Array<() => Promise<unknown>> = [];
  private timer?: NodeJS.Timeout;
  private state: TransferState = 'running';
  private sha256?: string;
  private error?: string;

  constructor(
    readonly id: string,
    readonly kind: TransferKind,
    readonly title: string,
    private readonly emit: (event: BackendEvent) => void,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get bytes(): number {
    return this.meter.transferred;
  }

  /** The byte count is known (from the volume's XML or the file's size): the meter starts. */
  begin(total: number): void {
    this.meter = new ProgressMeter(total);
    this.send();
    this.timer = setInterval(() => this.send(), EMIT_EVERY_MS);
  }

  /** Each chunk as it is handed to the receiving side. */
  readonly count = (chunk: Buffer): void => {
    this.meter.add(chunk.length);
    this.hash.update(chunk);
  };

  /** Something to undo should the transfer not finish (delete a created volume, stop a stream). */
  onUndo(step: () => Promise<unknown>): void {
    this.undo.push(step);
  }

  /** Run when cancel() is called (stop a stream, destroy a request), so a wait on it ends. */
  onCancel(step: () => void): void {
    if (this.signal.aborted) step();
    else this.signal.addEventListener('abort', step, { once: true });
  }

  cancel(): void {
    if (this.state === 'running') this.controller.abort(new CancelledError());
  }

  /** Run the body; on failure or cancel undo its steps. Resolves with the final progress. */
  async execute(body: () => Promise<void>): Promise<TransferProgress> {
    try {
      await body();
      this.signal.throwIfAborted();
      this.sha256 = this.hash.digest('hex');
      this.state = 'done';
    } catch (err) {
      const cancelled = this.signal.aborted;
      if (!cancelled) this.controller.abort(err);
      for (const step of this.undo.reverse()) await step().catch(() => undefined);
      this.state = cancelled ? 'cancelled' : 'failed';
      if (!cancelled) this.error = err instanceof Error ? err.message : String(err);
    } finally {
      clearInterval(this.timer);
    }
    return this.send();
  }

  progress(): TransferProgress {
    return {
      transferId: this.id,
      kind: this.kind,
      state: this.state,
      title: this.title,
      ...this.meter.snapshot(),
      ...(this.sha256 ? { sha256: this.sha256 } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  private send(): TransferProgress {
    const progress = this.progress();
    this.emit({ type: 'transfer.progress', progress });
    return progress;
  }
}
