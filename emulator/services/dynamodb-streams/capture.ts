/**
 * DynamoDB Streams on the embedded DynamoDB (DynamoDB Developer Guide, "Change data capture for DynamoDB Streams"):
 * each write to a table with a stream becomes a stream record (INSERT, MODIFY, REMOVE) with the images its
 * StreamViewType keeps. dynalite has no streams, so the write is bracketed here: the item is read before and after it,
 * one write at a time per table, so that no other write to the table falls between the two reads. A write that
 * changes nothing (the same item put again, a delete of no item) makes no record, as DynamoDB writes none.
 */
import { randomBytes } from 'node:crypto';
import { TableLocks } from '../dynamodb-table-locks.js';
import { recordSizeBytes } from './item-size.js';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
type Item = Record<string, unknown>;

/** A table whose writes are captured: its key attributes, what its records keep, its stream's ARN. */
export interface StreamTable {
  tableName: string;
  keys: string[];
  viewType: StreamViewType;
  streamArn: string;
}

/** One change, as Lambda's DynamoDB event carries it under `dynamodb` (plus the record's name and id). */
export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  streamArn: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
}

export interface CaptureDeps {
  /** GetItem (consistent) on the embedded DynamoDB: the item, or undefined. */
  read(tableName: string, key: Item): Promise<Item | undefined>;
  emit(records: StreamRecord[]): void;
  /** Epoch ms. */
  now?(): number;
  /** The front's table locks, shared with the writes it does not capture and with transactions. */
  locks?: TableLocks;
}

/** One item a write changed: its table, its key, the item before and after (undefined: no item). */
export interface ItemChange {
  tableName: string;
  key: Item;
  old: Item | undefined;
  now: Item | undefined;
}

/** The keys a write touches, per stream table (PutItem, UpdateItem, DeleteItem, BatchWriteItem). */
function touched(action: string, input: Item, tables: Map<string, StreamTable>): { table: StreamTable; key: Item }[] {
  const keyOf = (table: StreamTable, item: unknown): Item | undefined => {
    if (typeof item !== 'object' || item === null) return undefined;
    const key: Item = {};
    for (const name of table.keys) {
      const value = (item as Item)[name];
      if (value === undefined) return undefined;
      key[name] = value;
    }
    return key;
  };
  const single = (item: unknown): { table: StreamTable; key: Item }[] => {
    const table = tables.get(String(input.TableName));
    const key = table ? keyOf(table, item) : undefined;
    return table && key ? [{ table, key }] : [];
  };
  switch (action) {
    case 'PutItem':
      return single(input.Item);
    case 'UpdateItem':
    case 'DeleteItem':
      return single(input.Key);
    case 'BatchWriteItem': {
      const out: { table: StreamTable; key: Item }[] = [];
      const requests = typeof input.RequestItems === 'object' && input.RequestItems !== null ? (input.RequestItems as Record<string, unknown>) : {};
      for (const [name, list] of Object.entries(requests)) {
        const table = tables.get(name);
        if (!table || !Array.isArray(list)) continue;
        for (const request of list as Item[]) {
          const key = keyOf(table, (request?.PutRequest as Item | undefined)?.Item ?? (request?.DeleteRequest as Item | undefined)?.Key);
          if (key) out.push({ table, key });
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/** Attribute values compare as DynamoDB JSON: a put of the same item changes nothing. */
const sameItem = (a: Item, b: Item): boolean => JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Item)[k])]));
}

export class StreamCapture {
  private readonly locks: TableLocks;
  private sequence = 0n;

  constructor(
    private readonly tables: Map<string, StreamTable>,
    private readonly deps: CaptureDeps,
  ) {
    this.locks = deps.locks ?? new TableLocks();
  }

  /** Whether this table has a stream. */
  streams(tableName: string): boolean {
    return this.tables.has(tableName);
  }

  /** Whether this request writes to a stream table (then run() must bracket it). */
  captures(action: string, input: Item): boolean {
    return touched(action, input, this.tables).length > 0;
  }

  /**
   * Runs the write (`write` resolves with its HTTP status once answered) between the reads of the items it touches,
   * holding the tables' locks alone; records the changes of a write that succeeded.
   */
  run(action: string, input: Item, write: () => Promise<number>): Promise<void> {
    const names = touched(action, input, this.tables).map((k) => k.table.tableName);
    return this.locks.hold(names, () => this.bracket(action, input, write));
  }

  /** run() for a caller that already holds the tables' locks alone. */
  async bracket(action: string, input: Item, write: () => Promise<number>): Promise<void> {
    const keys = touched(action, input, this.tables);
    const before = await Promise.all(keys.map((k) => this.deps.read(k.table.tableName, k.key)));
    const status = await write();
    if (status !== 200) return;
    const after = await Promise.all(keys.map((k) => this.deps.read(k.table.tableName, k.key)));
    this.changed(keys.map((k, i) => ({ tableName: k.table.tableName, key: k.key, old: before[i], now: after[i] })));
  }

  /** Records these changes (those of stream tables, that change something) together, as one write's records. */
  changed(changes: ItemChange[]): void {
    const records = changes.flatMap((c) => {
      const table = this.tables.get(c.tableName);
      return table ? this.record(table, c.key, c.old, c.now) : [];
    });
    if (records.length > 0) this.deps.emit(records);
  }

  private record(table: StreamTable, key: Item, old: Item | undefined, now: Item | undefined): StreamRecord[] {
    if (!old && !now) return [];
    if (old && now && sameItem(old, now)) return [];
    const eventName = !old ? 'INSERT' : !now ? 'REMOVE' : 'MODIFY';
    // The keys as stored (a number written 1.0 is stored, and streamed, as 1), not as the request spelled them.
    const stored = (now ?? old)!;
    key = Object.fromEntries(Object.keys(key).map((name) => [name, stored[name] ?? key[name]]));
    this.sequence += 1n;
    const images: { NewImage?: Item; OldImage?: Item } = {};
    if (now && (table.viewType === 'NEW_IMAGE' || table.viewType === 'NEW_AND_OLD_IMAGES')) images.NewImage = now;
    if (old && (table.viewType === 'OLD_IMAGE' || table.viewType === 'NEW_AND_OLD_IMAGES')) images.OldImage = old;
    return [
      {
        eventID: randomBytes(16).toString('hex'),
        eventName,
        streamArn: table.streamArn,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor((this.deps.now?.() ?? Date.now()) / 1000),
          Keys: key,
          ...images,
          // Numeric and increasing within the stream, 21 digits as DynamoDB's are.
          SequenceNumber: (10n ** 20n + this.sequence).toString(),
          // DynamoDB's size of the record's keys and images (the item-size rules), not of their JSON.
          SizeBytes: recordSizeBytes({ Keys: key, ...images }),
          StreamViewType: table.viewType,
        },
      },
    ];
  }
}
