import type { LedgerAnswer, LedgerEvent, UsageLedger } from './usage-ledger.js';

interface Waiting {
  event: LedgerEvent;
  now: Date;
  resolve(answer: LedgerAnswer): void;
  reject(error: unknown): void;
}

/** Options of {@link ConsumeCoalescer}. */
export interface CoalescerOptions {
  /** Batches in flight at once; more consumes wait and go in the next batch. */
  concurrency: number;
  /** The most consumes one statement takes. */
  maxBatch: number;
}

/**
 * Group commit for consume: concurrent consumes are counted together by the ledger's set-based
 * statement, so a hot counter takes one statement per window instead of one per request, which is
 * how consume passes the per-request ceiling of a conditional UPDATE per call.
 *
 * The window is the time the batches in flight take: a consume arriving while fewer than
 * `concurrency` batches run starts one at once (no added latency when idle); otherwise it waits
 * for the next, which takes everything waiting, in arrival order. The ledger accepts a batch's
 * consumes in that order while they fit under the limit and refuses the rest, each caller getting
 * its own answer, exactly as if they had come one at a time in that order. A caller is answered
 * only after its batch committed: an acknowledged consume is on disk.
 */
export class ConsumeCoalescer {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly ledger: UsageLedger,
    private readonly options: CoalescerOptions,
  ) {}

  /** Counts one consume with whatever else is waiting; resolves with its own answer. */
  count(event: LedgerEvent, now: Date): Promise<LedgerAnswer> {
    return new Promise<LedgerAnswer>((resolve, reject) => {
      this.waiting.push({ event, now, resolve, reject });
      if (this.inFlight < this.options.concurrency) void this.run();
    });
  }

  /** Runs batches until nothing waits; one of at most `concurrency` such loops. */
  private async run(): Promise<void> {
    this.inFlight += 1;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.options.maxBatch);
        const now = batch.reduce((latest, waiting) => (waiting.now > latest ? waiting.now : latest), batch[0]!.now);
        try {
          const answers = await this.ledger.count(batch.map((waiting) => waiting.event), now);
          batch.forEach((waiting, index) => waiting.resolve(answers[index]!));
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.inFlight -= 1;
    }
  }
}
