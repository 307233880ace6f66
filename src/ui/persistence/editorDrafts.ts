/**
 * What a person typed in each editor, kept in localStorage so that it survives a reload. Keys are
 * per editor (`session:A`, `setup`…) under one versioned prefix; a full or missing storage (private
 * mode, an iframe without storage access) only means drafts are not kept.
 */
const prefix = 'sql-playground:draft:v1:';

export interface DraftStore {
  load(editor: string): string | null;
  save(editor: string, text: string): void;
  remove(editor: string): void;
}

export function createDraftStore(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
): DraftStore {
  return {
    load(editor) {
      try {
        return storage?.getItem(prefix + editor) ?? null;
      } catch {
        return null;
      }
    },
    save(editor, text) {
      try {
        storage?.setItem(prefix + editor, text);
      } catch {
        // Storage full or forbidden: the draft lives only in this page.
      }
    },
    remove(editor) {
      try {
        storage?.removeItem(prefix + editor);
      } catch {
        // As above.
      }
    },
  };
}

/** The page's localStorage, or null where reading it throws (sandboxed iframes). */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
