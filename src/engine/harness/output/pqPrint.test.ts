import { describe, expect, it } from 'vitest';
import { formatPqPrint } from './pqPrint';

describe('formatPqPrint (libpq PQprint with header, align, fieldSep "|")', () => {
  it('right-aligns numeric-looking columns, header included, and left-aligns the others', () => {
    expect(
      formatPqPrint(
        ['id', 'balance', 'name'],
        [
          ['1', '-600.50', 'checking'],
          ['10', '1e5', 'savings'],
        ],
      ),
    ).toBe(
      [
        'id|balance|name    ',
        '--+-------+--------',
        ' 1|-600.50|checking',
        '10|    1e5|savings ',
        '(2 rows)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('counts a column as text when a value starts with E, does not end with a digit, or has another character', () => {
    expect(formatPqPrint(['a', 'b', 'c'], [['E5', '5.', '5:']])).toBe(
      'a |b |c \n--+--+--\nE5|5.|5:\n(1 row)\n\n',
    );
  });

  it('prints NULL and empty strings as nothing, without making a column textual or wider', () => {
    expect(
      formatPqPrint(
        ['pg_advisory_lock', 'n'],
        [
          [null, '1'],
          ['', null],
        ],
      ),
    ).toBe('pg_advisory_lock|n\n----------------+-\n                |1\n                | \n(2 rows)\n\n');
  });

  it('measures widths in UTF-8 bytes, as C printf pads', () => {
    expect(formatPqPrint(['x'], [['é'], ['ab']])).toBe('x \n--\né\nab\n(2 rows)\n\n');
  });

  it('prints a header and "(0 rows)" for an empty result, and nothing for a result without columns', () => {
    expect(formatPqPrint(['key', 'data'], [])).toBe('key|data\n---+----\n(0 rows)\n\n');
    expect(formatPqPrint([], [[], []])).toBe('');
  });
});
