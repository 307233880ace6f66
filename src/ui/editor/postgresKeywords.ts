/**
 * Every PostgreSQL keyword (from PostgreSQL's kwlist.h, as packaged by @pgsql/quotes), upper-case,
 * for highlighting. Monaco's own `pgsql` grammar lists only the reserved ones, which leaves BEGIN,
 * UPDATE, SET, COMMIT, NOWAIT, ISOLATION LEVEL… uncoloured — the very words this playground is about.
 */
import { kwlist } from '@pgsql/quotes';

export const postgresKeywords: readonly string[] = Object.values(kwlist)
  .flat()
  .map((keyword) => keyword.toUpperCase())
  .sort();
