/**
 * The size DynamoDB gives an item (Developer Guide, "DynamoDB item sizes and formats"): each attribute's name in
 * UTF-8 bytes plus its value's size. A stream record's SizeBytes is the sum of this over its Keys and images.
 */
type Item = Record<string, unknown>;

/** A number's size: one byte per two significant digits (leading and trailing zeros trimmed) plus one. */
function numberSize(text: string): number {
  const mantissa = text.trim().replace(/^[+-]/, '').replace(/[eE].*$/, '').replace('.', '');
  const digits = mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(digits / 2) + 1;
}

const utf8 = (text: unknown) => Buffer.byteLength(String(text), 'utf8');
const rawBytes = (base64: unknown) => Buffer.from(String(base64), 'base64').length;

/** One AttributeValue's size, without its name. */
function valueSize(value: unknown): number {
  const [type, inner] = Object.entries(value as Item)[0] ?? [];
  switch (type) {
    case 'S': return utf8(inner);
    case 'N': return numberSize(String(inner));
    case 'B': return rawBytes(inner);
    case 'SS': return (inner as unknown[]).reduce<number>((sum, s) => sum + utf8(s), 0);
    case 'NS': return (inner as unknown[]).reduce<number>((sum, n) => sum + numberSize(String(n)), 0);
    case 'BS': return (inner as unknown[]).reduce<number>((sum, b) => sum + rawBytes(b), 0);
    // A list or a map: 3 bytes, plus 1 byte per element beside the element's own size.
    case 'L': return 3 + (inner as unknown[]).reduce<number>((sum, v) => sum + 1 + valueSize(v), 0);
    case 'M': return 3 + Object.keys(inner as Item).length + itemSize(inner as Item);
    default: return 1; // NULL, BOOL
  }
}

/** An item's (or a key's) size in bytes as DynamoDB counts it. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** A stream record's SizeBytes: the size of its Keys plus that of each image it carries. */
export function recordSizeBytes(record: { Keys: Item; NewImage?: Item; OldImage?: Item }): number {
  return itemSize(record.Keys) + (record.NewImage ? itemSize(record.NewImage) : 0) + (record.OldImage ? itemSize(record.OldImage) : 0);
}
