import { describe, expect, it } from 'vitest';
import { createDraftStore } from './editorDrafts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('editor drafts', () => {
  it('keep each editor’s text under its own versioned key', () => {
    const storage = memoryStorage();
    const drafts = createDraftStore(storage);
    drafts.save('session:A', 'BEGIN;');
    drafts.save('setup', 'CREATE TABLE t (id int);');
    expect(createDraftStore(storage).load('session:A')).toBe('BEGIN;');
    expect([...storage.items.keys()]).toEqual([
      'sql-playground:draft:v1:session:A',
      'sql-playground:draft:v1:setup',
    ]);
    drafts.remove('session:A');
    expect(drafts.load('session:A')).toBeNull();
  });

  it('work without storage, and when storage refuses', () => {
    expect(createDraftStore(null).load('x')).toBeNull();
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const drafts = createDraftStore(refusing);
    expect(() => drafts.save('x', 'y')).not.toThrow();
    expect(drafts.load('x')).toBeNull();
  });
});
