/**
 * Per-table locks of the embedded DynamoDB's front. dynalite makes each single-item write atomic by itself, so plain
 * writes to a table share its lock and still run side by side; what must see a table stand still (a transaction, a
 * write bracketed by stream reads, TransactGetItems) holds it alone. Waiters are served in arrival order, so a
 * steady flow of plain writes cannot starve a transaction.
 */
interface Waiter {
  exclusive: boolean;
  grant(): void;
}

interface TableLock {
  shared: number;
  exclusive: boolean;
  queue: Waiter[];
}

export class TableLocks {
  private readonly tables = new Map<string, TableLock>();

  /**
   * Runs `work` holding the tables' locks (alone when `exclusive`), taken one by one in name order, so that two
   * holders of the same tables cannot deadlock.
   */
  async hold<T>(names: Iterable<string>, work: () => Promise<T>, exclusive = true): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const name of [...new Set(names)].sort()) releases.push(await this.acquire(name, exclusive));
      return await work();
    } finally {
      releases.reverse().forEach((release) => release());
    }
  }

  private acquire(name: string, exclusive: boolean): Promise<() => void> {
    let lock = this.tables.get(name);
    if (!lock) this.tables.set(name, (lock = { shared: 0, exclusive: false, queue: [] }));
    const held = lock;
    return new Promise((resolve) => {
      held.queue.push({
        exclusive,
        grant: () =>
          resolve(() => {
            if (exclusive) held.exclusive = false;
            else held.shared -= 1;
            this.pump(name, held);
          }),
      });
      this.pump(name, held);
    });
  }

  private pump(name: string, lock: TableLock): void {
    for (let next = lock.queue[0]; next; next = lock.queue[0]) {
      if (lock.exclusive || (next.exclusive && lock.shared > 0)) return;
      lock.queue.shift();
      if (next.exclusive) lock.exclusive = true;
      else lock.shared += 1;
      next.grant();
    }
    if (!lock.exclusive && lock.shared === 0) this.tables.delete(name);
  }
}
