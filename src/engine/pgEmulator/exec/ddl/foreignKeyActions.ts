/**
 * A FOREIGN KEY constraint's ON DELETE and ON UPDATE actions, as the parser encodes them.
 */
import type { ForeignKeyAction } from '../../catalog/catalog';
import { unsupported } from '../../errors';
import type { Constraint } from '../../sql/ast';

const FK_ACTIONS: Record<string, ForeignKeyAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export function foreignKeyActions(constraint: Constraint): {
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
} {
  if ((constraint.fk_del_set_cols ?? []).length > 0)
    throw unsupported('ON DELETE SET NULL / SET DEFAULT with a column list');
  return {
    onDelete: FK_ACTIONS[constraint.fk_del_action ?? 'a'] ?? 'no action',
    onUpdate: FK_ACTIONS[constraint.fk_upd_action ?? 'a'] ?? 'no action',
  };
}
