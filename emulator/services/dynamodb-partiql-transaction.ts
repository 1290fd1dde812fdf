/**
 * PartiQL's ExecuteTransaction on the embedded DynamoDB (dynalite has none): its statements become the entries of one
 * TransactWriteItems (INSERT a Put that must not replace an item, UPDATE and DELETE of one item) or of one
 * TransactGetItems (SELECTs by the whole key), run by the front's transactions, all or nothing. DynamoDB answers a
 * transaction of writes with an empty Responses list, one of reads with an Item (or nothing) per statement.
 */
import type { Answer, DynamoDbPartiql } from './dynamodb-partiql.js';
import type { DynamoDbTransactions } from './dynamodb-transactions.js';

type Item = Record<string, unknown>;
const MAX_STATEMENTS = 100;

const validation = (message: string): Answer => ({ status: 400, payload: { __type: 'com.amazon.coral.validate#ValidationException', message } });

/** ExecuteTransaction: the statements all carried out, or none (TransactionCanceledException, as TransactWriteItems). */
export async function executeTransaction(input: Item, partiql: DynamoDbPartiql, transactions: DynamoDbTransactions): Promise<Answer> {
  const statements = input.TransactStatements;
  if (!Array.isArray(statements)) return validation("1 validation error detected: Value null at 'transactStatements' failed to satisfy constraint: Member must not be null");
  if (statements.length < 1 || statements.length > MAX_STATEMENTS) {
    const bound = statements.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_STATEMENTS}`;
    return validation(`1 validation error detected: Value '[${statements.length} items]' at 'transactStatements' failed to satisfy constraint: Member must have length ${bound}`);
  }
  const entries: Item[] = [];
  for (const statement of statements as unknown[]) {
    const made = await partiql.transactionEntry(typeof statement === 'object' && statement !== null ? (statement as Item) : {});
    if ('refused' in made) return made.refused;
    entries.push(made.entry);
  }
  const reads = entries.filter((e) => 'Get' in e).length;
  if (reads > 0 && reads < entries.length) return validation('A transaction of the local emulator is all SELECTs or all writes (INSERT, UPDATE, DELETE), not both');
  if (reads === 0) {
    const token = input.ClientRequestToken === undefined ? {} : { ClientRequestToken: input.ClientRequestToken };
    const written = await transactions.write({ TransactItems: entries, ...token });
    return written.status === 200 ? { status: 200, payload: { Responses: [] } } : written;
  }
  return transactions.get({ TransactItems: entries });
}
