/**
 * PostgreSQL's parser reports positions in UTF-8 bytes; JavaScript strings index UTF-16 code units.
 */

/** Returns a function that turns a UTF-8 byte offset into `text` into a UTF-16 offset. */
export function utf8ToUtf16Offsets(text: string): (byteOffset: number) => number {
  // byteStarts[i] = UTF-8 offset of the code point that starts at UTF-16 index unitStarts[i].
  const byteStarts: number[] = [];
  const unitStarts: number[] = [];
  let bytes = 0;
  let units = 0;
  for (const character of text) {
    byteStarts.push(bytes);
    unitStarts.push(units);
    const codePoint = character.codePointAt(0) ?? 0;
    bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    units += character.length;
  }
  return (byteOffset) => {
    if (byteOffset >= bytes) return units + (byteOffset - bytes);
    // Binary search for the last code point starting at or before byteOffset.
    let low = 0;
    let high = byteStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((byteStarts[middle] ?? 0) <= byteOffset) low = middle;
      else high = middle - 1;
    }
    return unitStarts[low] ?? 0;
  };
}
