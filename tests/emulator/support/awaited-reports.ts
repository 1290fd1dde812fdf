/**
 * Reports an emulator emits as things happen (SQS batches, EventBridge deliveries), kept so a test can wait for the
 * one it is about, past or to come: waits are on the event itself, never on time.
 */
export class AwaitedReports<T> {
  readonly all: T[] = [];
  private readonly waiting: { match: (r: T) => boolean; resolve: (r: T) => void }[] = [];

  /** The callback to give the emulator (onQueueBatch, onEventDelivery). */
  readonly add = (report: T): void => {
    this.all.push(report);
    for (const w of this.waiting.filter((w) => w.match(report))) {
      this.waiting.splice(this.waiting.indexOf(w), 1);
      w.resolve(report);
    }
  };

  /** The first report that matches, already there or when it comes. */
  where(match: (r: T) => boolean): Promise<T> {
    const seen = this.all.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.waiting.push({ match, resolve }));
  }
}
