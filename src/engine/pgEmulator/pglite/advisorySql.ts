/**
 * Advisory locks as seen from inside a query (PGlite cannot suspend a query, so these functions
 * only decide and record; the engine's lock manager holds the real locks).
 *
 * The context row's `advisory` object holds, per lock key `k1,k2,sub`: the modes this session holds
 * (`own`; at session level `sess`, with counts `n5` / `n7`), the modes other sessions hold
 * (`others`) or wait for (`queued`), and `pre`: acquisitions the engine already made while the
 * statement waited. A lock that is not free raises SQLSTATE PX001 with the key in DETAIL (the engine
 * waits in its lock manager, then runs the statement again); acquisitions and releases are logged in
 * `_engine.advisory_actions` for the engine to apply once the statement has run.
 *
 * Modes: 7 = ExclusiveLock, 5 = ShareLock. Conflict masks are bit sets of lock modes.
 */

/** ExclusiveLock conflicts with modes 2–8; ShareLock with 3, 4, 6, 7, 8. */
const EXCLUSIVE_CONFLICTS = 0b111111100;
const SHARE_CONFLICTS = 0b111011000;

const CORE = `
CREATE FUNCTION _engine.advisory_acquire(k1 bigint, k2 bigint, sub int, mode int, scope text, try boolean) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  k text := k1 || ',' || k2 || ',' || sub;
  e jsonb;
  bit int := 1 << mode;
  conflicts int := CASE mode WHEN 7 THEN ${EXCLUSIVE_CONFLICTS} ELSE ${SHARE_CONFLICTS} END;
  pre int;
  own int;
BEGIN
  SELECT coalesce(advisory -> k, '{}'::jsonb) INTO e FROM _engine.ctx;
  pre := coalesce((e ->> 'pre')::int, 0);
  own := coalesce((e ->> 'own')::int, 0);
  IF pre = 0 AND own & bit = 0
     AND (coalesce((e ->> 'others')::int, 0) | coalesce((e ->> 'queued')::int, 0)) & conflicts <> 0 THEN
    IF try THEN RETURN false; END IF;
    RAISE EXCEPTION USING ERRCODE = 'PX001', MESSAGE = 'advisory lock wait', DETAIL = k || ',' || mode || ',' || scope;
  END IF;
  IF pre > 0 THEN
    e := e || jsonb_build_object('pre', pre - 1);
  ELSE
    INSERT INTO _engine.advisory_actions (action, k1, k2, sub, mode, scope) VALUES ('lock', k1, k2, sub, mode, scope);
  END IF;
  e := e || jsonb_build_object('own', own | bit);
  IF scope = 'session' THEN
    e := e || jsonb_build_object('sess', coalesce((e ->> 'sess')::int, 0) | bit,
                                 'n' || mode, coalesce((e ->> ('n' || mode))::int, 0) + 1);
  END IF;
  UPDATE _engine.ctx SET advisory = jsonb_set(advisory, ARRAY[k], e);
  RETURN true;
END $$;

CREATE FUNCTION _engine.advisory_release(k1 bigint, k2 bigint, sub int, mode int) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  k text := k1 || ',' || k2 || ',' || sub;
  e jsonb;
  n int;
BEGIN
  SELECT coalesce(advisory -> k, '{}'::jsonb) INTO e FROM _engine.ctx;
  n := coalesce((e ->> ('n' || mode))::int, 0);
  IF n = 0 THEN
    RAISE WARNING 'you don''t own a lock of type %', CASE mode WHEN 7 THEN 'ExclusiveLock' ELSE 'ShareLock' END;
    RETURN false;
  END IF;
  INSERT INTO _engine.advisory_actions (action, k1, k2, sub, mode, scope) VALUES ('unlock', k1, k2, sub, mode, 'session');
  e := e || jsonb_build_object('n' || mode, n - 1);
  IF n = 1 THEN
    e := e || jsonb_build_object('sess', coalesce((e ->> 'sess')::int, 0) & ~(1 << mode));
  END IF;
  UPDATE _engine.ctx SET advisory = jsonb_set(advisory, ARRAY[k], e);
  RETURN true;
END $$;

CREATE FUNCTION _emul.pg_advisory_unlock_all() RETURNS void LANGUAGE sql SECURITY DEFINER AS
  $$INSERT INTO _engine.advisory_actions (action) VALUES ('unlock_all')$$;
`;

/** The two key forms: one bigint (field 4 = 1), or two integers (field 4 = 2). */
const KEY_FORMS = [
  { args: 'key bigint', keys: '(key >> 32) & 4294967295, key & 4294967295, 1' },
  { args: 'key1 integer, key2 integer', keys: 'key1::bigint & 4294967295, key2::bigint & 4294967295, 2' },
];

const ACQUIRE_VARIANTS = [
  { name: 'pg_advisory_lock', mode: 7, scope: 'session', try: false },
  { name: 'pg_advisory_lock_shared', mode: 5, scope: 'session', try: false },
  { name: 'pg_advisory_xact_lock', mode: 7, scope: 'xact', try: false },
  { name: 'pg_advisory_xact_lock_shared', mode: 5, scope: 'xact', try: false },
  { name: 'pg_try_advisory_lock', mode: 7, scope: 'session', try: true },
  { name: 'pg_try_advisory_lock_shared', mode: 5, scope: 'session', try: true },
  { name: 'pg_try_advisory_xact_lock', mode: 7, scope: 'xact', try: true },
  { name: 'pg_try_advisory_xact_lock_shared', mode: 5, scope: 'xact', try: true },
];

const RELEASE_VARIANTS = [
  { name: 'pg_advisory_unlock', mode: 7 },
  { name: 'pg_advisory_unlock_shared', mode: 5 },
];

/** Names of the advisory-lock functions the engine answers. */
export const ADVISORY_FUNCTION_NAMES = new Set([
  ...ACQUIRE_VARIANTS.map((v) => v.name),
  ...RELEASE_VARIANTS.map((v) => v.name),
  'pg_advisory_unlock_all',
]);

export function advisoryFunctionsSql(): string {
  const wrappers: string[] = [];
  for (const form of KEY_FORMS) {
    for (const v of ACQUIRE_VARIANTS) {
      const call = `_engine.advisory_acquire(${form.keys}, ${v.mode}, '${v.scope}', ${v.try})`;
      wrappers.push(
        v.try
          ? `CREATE FUNCTION _emul.${v.name}(${form.args}) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $f$SELECT ${call}$f$;`
          : `CREATE FUNCTION _emul.${v.name}(${form.args}) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $f$BEGIN PERFORM ${call}; END$f$;`,
      );
    }
    for (const v of RELEASE_VARIANTS) {
      wrappers.push(
        `CREATE FUNCTION _emul.${v.name}(${form.args}) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $f$SELECT _engine.advisory_release(${form.keys}, ${v.mode})$f$;`,
      );
    }
  }
  return `${CORE}\n${wrappers.join('\n')}`;
}
