/**
 * libpq's `PQprint` (src/interfaces/libpq/fe-print.c) with the options PostgreSQL's isolation tester
 * uses: header, align, field separator `|`, nothing else.
 *
 * - Nothing at all is printed for a result without columns.
 * - A column is "numeric" unless one of its non-empty values has a character other than
 *   `0-9 . E e space -`, starts with `E`/`e` or does not end with a digit; numeric columns are
 *   right-aligned (header included), others left-aligned. Empty strings and NULLs (both print as
 *   nothing) neither widen a column nor make it non-numeric.
 * - Widths count bytes of UTF-8, as C's printf does.
 * - Then `(N rows)` / `(1 row)` and an empty line.
 */
const encoder = new TextEncoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

function pad(text: string, width: number, alignRight: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - byteLength(text)));
  return alignRight ? fill + text : text + fill;
}

function looksNumeric(value: string): boolean {
  if (!/^[0-9.Ee -]*$/.test(value)) return false;
  if (value.startsWith('E') || value.startsWith('e')) return false;
  return /[0-9]$/.test(value);
}

export function formatPqPrint(
  fieldNames: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): string {
  if (fieldNames.length === 0) return '';
  const separator = '|';
  const widths = fieldNames.map(byteLength);
  const numeric = fieldNames.map(() => true);
  for (const row of rows) {
    fieldNames.forEach((_, column) => {
      const value = row[column];
      if (value === null || value === undefined || value === '') return;
      if (numeric[column] && !looksNumeric(value)) numeric[column] = false;
      widths[column] = Math.max(widths[column] ?? 0, byteLength(value));
    });
  }
  const line = (values: readonly (string | null | undefined)[]): string =>
    fieldNames
      .map((_, column) => pad(values[column] ?? '', widths[column] ?? 0, numeric[column] ?? true))
      .join(separator);
  const border = widths.map((width) => '-'.repeat(width)).join('+');
  const rowCount = rows.length;
  return [
    line(fieldNames),
    border,
    ...rows.map((row) => line(row)),
    `(${rowCount} row${rowCount === 1 ? '' : 's'})`,
    '',
    '',
  ].join('\n');
}
