import { describe, expect, it } from 'vitest';
import { postgresKeywords } from './postgresKeywords';

describe('postgresKeywords', () => {
  it('has the words of transactions and locking, not only the reserved ones', () => {
    for (const word of [
      'SELECT',
      'BEGIN',
      'UPDATE',
      'SET',
      'COMMIT',
      'ROLLBACK',
      'ISOLATION',
      'NOWAIT',
      'SKIP',
    ]) {
      expect(postgresKeywords).toContain(word);
    }
    expect(postgresKeywords).not.toContain('ACCOUNTS');
  });
});
