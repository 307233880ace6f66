/**
 * Identities of heavyweight locks (lock.h LOCKTAG) and their descriptions (lmgr.c DescribeLockTag).
 */
import type { LockTagView } from '../api/events';

/** The database OID the playground reports (a fresh cluster's `postgres` database is 5). */
export const DATABASE_OID = 5;

export type LockTag =
  | { type: 'relation'; relationOid: number; relationName: string }
  | { type: 'tuple'; relationOid: number; relationName: string; page: number; offset: number }
  | { type: 'transactionid'; xid: number }
  | { type: 'virtualxid'; vxid: string }
  | { type: 'advisory'; key1: number; key2: number; objsubid: 1 | 2 }
  | { type: 'object'; classOid: number; objectOid: number; description: string };

/** A unique string for a tag, to key maps. */
export function lockTagKey(tag: LockTag): string {
  switch (tag.type) {
    case 'relation':
      return `rel:${tag.relationOid}`;
    case 'tuple':
      return `tup:${tag.relationOid}:${tag.page}:${tag.offset}`;
    case 'transactionid':
      return `xid:${tag.xid}`;
    case 'virtualxid':
      return `vxid:${tag.vxid}`;
    case 'advisory':
      return `adv:${tag.key1}:${tag.key2}:${tag.objsubid}`;
    case 'object':
      return `obj:${tag.classOid}:${tag.objectOid}`;
  }
}

/** PostgreSQL's wording of the locked object, as in deadlock DETAIL lines. */
export function describeLockTag(tag: LockTag): string {
  switch (tag.type) {
    case 'relation':
      return `relation ${tag.relationOid} of database ${DATABASE_OID}`;
    case 'tuple':
      return `tuple (${tag.page},${tag.offset}) of relation ${tag.relationOid} of database ${DATABASE_OID}`;
    case 'transactionid':
      return `transaction ${tag.xid}`;
    case 'virtualxid':
      return `virtual transaction ${tag.vxid}`;
    case 'advisory':
      return `advisory lock [${DATABASE_OID},${tag.key1},${tag.key2},${tag.objsubid}]`;
    case 'object':
      return `object ${tag.objectOid} of class ${tag.classOid} of database ${DATABASE_OID}`;
  }
}

export function lockTagView(tag: LockTag): LockTagView {
  switch (tag.type) {
    case 'relation':
      return { locktype: 'relation', relation: tag.relationName, relationOid: tag.relationOid };
    case 'tuple':
      return {
        locktype: 'tuple',
        relation: tag.relationName,
        relationOid: tag.relationOid,
        page: tag.page,
        tuple: tag.offset,
      };
    case 'transactionid':
      return { locktype: 'transactionid', transactionid: tag.xid };
    case 'virtualxid':
      return { locktype: 'virtualxid', virtualxid: tag.vxid };
    case 'advisory':
      return { locktype: 'advisory', key: `${tag.key1},${tag.key2},${tag.objsubid}` };
    case 'object':
      return { locktype: 'object', description: tag.description };
  }
}
