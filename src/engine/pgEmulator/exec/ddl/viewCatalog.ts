/**
 * Finding a user view by name as a session sees it (an uncommitted view is invisible to other
 * sessions; a view the session dropped is invisible to it).
 */
import type { ViewInfo } from '../../catalog/catalog';
import { objectVisibleTo, searchPathSchemas } from '../../catalog/resolve';
import type { EngineCore } from '../../core';
import { quoteIdent } from '../../pglite/host';
import type { RangeVar } from '../../sql/ast';
import type { Session } from '../../session/session';

export function qualifiedView(view: ViewInfo): string {
  return `${quoteIdent(view.schema)}.${quoteIdent(view.storedAs ?? view.name)}`;
}

/** The user view a name means for the session: the view, 'invisible', or undefined. */
export function resolveView(
  core: EngineCore,
  session: Session,
  rangeVar: Pick<RangeVar, 'schemaname' | 'relname'>,
): ViewInfo | 'invisible' | undefined {
  const name = rangeVar.relname ?? '';
  const schemas = rangeVar.schemaname ? [rangeVar.schemaname] : searchPathSchemas(session);
  for (const schema of schemas) {
    let hidden = false;
    for (const view of core.catalog.views.values()) {
      if (view.schema !== schema || view.name !== name) continue;
      if (objectVisibleTo(core, session, view)) return view;
      hidden = true;
    }
    if (hidden) return 'invisible';
  }
  return undefined;
}

/** Is this name a user view the session sees? */
export function isVisibleView(
  core: EngineCore,
  session: Session,
  rangeVar: Pick<RangeVar, 'schemaname' | 'relname'>,
): boolean {
  const view = resolveView(core, session, rangeVar);
  return view !== undefined && view !== 'invisible';
}
