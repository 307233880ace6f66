/**
 * A unified diff of two texts, made by the system's `diff -u` (GNU diffutils / BSD diff) rather than
 * a hand-written differ. Node only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function unifiedDiff(before: string, after: string, beforeLabel: string, afterLabel: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'scenario-diff-'));
  try {
    const beforeFile = join(directory, 'before');
    const afterFile = join(directory, 'after');
    writeFileSync(beforeFile, before);
    writeFileSync(afterFile, after);
    const result = spawnSync(
      'diff',
      ['-u', '--label', beforeLabel, '--label', afterLabel, beforeFile, afterFile],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (result.error) return `(no diff: the "diff" program could not run: ${result.error.message})\n`;
    return result.stdout;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
