/**
 * The table lock an ALTER TABLE takes (tablecmds.c AlterTableGetLockLevel): the strongest mode any
 * of its subcommands needs, and the names of the subcommands the engine supports.
 */
import { LockMode } from '../../locks/lockModes';
import type { AlterTableCmd, Constraint, Node } from '../../sql/ast';
import { asNode } from '../../sql/ast';

/** Subcommands the engine runs, with the SQL form they are written in (for messages). */
export const SUPPORTED_SUBCOMMANDS: Readonly<Record<string, string>> = {
  AT_AddColumn: 'ADD COLUMN',
  AT_DropColumn: 'DROP COLUMN',
  AT_AlterColumnType: 'ALTER COLUMN … TYPE',
  AT_ColumnDefault: 'ALTER COLUMN … SET/DROP DEFAULT',
  AT_SetNotNull: 'ALTER COLUMN … SET NOT NULL',
  AT_DropNotNull: 'ALTER COLUMN … DROP NOT NULL',
  AT_AddConstraint: 'ADD CONSTRAINT',
  AT_DropConstraint: 'DROP CONSTRAINT',
  AT_ValidateConstraint: 'VALIDATE CONSTRAINT',
};

/** How an unsupported subcommand is named in the 0A000 message. */
const UNSUPPORTED_NAMES: Readonly<Record<string, string>> = {
  AT_SetStatistics: 'ALTER COLUMN … SET STATISTICS',
  AT_SetStorage: 'ALTER COLUMN … SET STORAGE',
  AT_SetCompression: 'ALTER COLUMN … SET COMPRESSION',
  AT_SetOptions: 'ALTER COLUMN … SET (options)',
  AT_ResetOptions: 'ALTER COLUMN … RESET (options)',
  AT_AddIdentity: 'ALTER COLUMN … ADD GENERATED … AS IDENTITY',
  AT_SetIdentity: 'ALTER COLUMN … SET GENERATED / sequence options',
  AT_DropIdentity: 'ALTER COLUMN … DROP IDENTITY',
  AT_SetExpression: 'ALTER COLUMN … SET EXPRESSION',
  AT_DropExpression: 'ALTER COLUMN … DROP EXPRESSION',
  AT_AlterConstraint: 'ALTER CONSTRAINT',
  AT_ClusterOn: 'CLUSTER ON',
  AT_DropCluster: 'SET WITHOUT CLUSTER',
  AT_SetLogged: 'SET LOGGED',
  AT_SetUnLogged: 'SET UNLOGGED',
  AT_SetAccessMethod: 'SET ACCESS METHOD',
  AT_SetTableSpace: 'SET TABLESPACE',
  AT_SetRelOptions: 'SET (storage parameters)',
  AT_ResetRelOptions: 'RESET (storage parameters)',
  AT_EnableTrig: 'ENABLE TRIGGER',
  AT_DisableTrig: 'DISABLE TRIGGER',
  AT_EnableTrigAll: 'ENABLE TRIGGER ALL',
  AT_DisableTrigAll: 'DISABLE TRIGGER ALL',
  AT_EnableTrigUser: 'ENABLE TRIGGER USER',
  AT_DisableTrigUser: 'DISABLE TRIGGER USER',
  AT_EnableRule: 'ENABLE RULE',
  AT_DisableRule: 'DISABLE RULE',
  AT_AddInherit: 'INHERIT',
  AT_DropInherit: 'NO INHERIT',
  AT_AddOf: 'OF type',
  AT_DropOf: 'NOT OF',
  AT_ReplicaIdentity: 'REPLICA IDENTITY',
  AT_EnableRowSecurity: 'ENABLE ROW LEVEL SECURITY',
  AT_DisableRowSecurity: 'DISABLE ROW LEVEL SECURITY',
  AT_ForceRowSecurity: 'FORCE ROW LEVEL SECURITY',
  AT_NoForceRowSecurity: 'NO FORCE ROW LEVEL SECURITY',
  AT_ChangeOwner: 'OWNER TO',
  AT_AttachPartition: 'ATTACH PARTITION',
  AT_DetachPartition: 'DETACH PARTITION',
  AT_GenericOptions: 'OPTIONS',
  AT_AddIndex: 'ADD … USING INDEX',
  AT_AddIndexConstraint: 'ADD CONSTRAINT … USING INDEX',
};

/** The message name of a subcommand the engine does not run. */
export function unsupportedSubcommandName(subtype: string): string {
  return `ALTER TABLE … ${UNSUPPORTED_NAMES[subtype] ?? subtype.replace(/^AT_/, '')}`;
}

function commandLockMode(cmd: AlterTableCmd): LockMode {
  switch (cmd.subtype) {
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_AttachPartition':
      return LockMode.ShareUpdateExclusive;
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrig':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
      return LockMode.ShareRowExclusive;
    case 'AT_AddConstraint': {
      const constraint = asNode(cmd.def, 'Constraint') as Constraint | undefined;
      return constraint?.contype === 'CONSTR_FOREIGN' ? LockMode.ShareRowExclusive : LockMode.AccessExclusive;
    }
    default:
      return LockMode.AccessExclusive;
  }
}

/** AlterTableGetLockLevel: at least ShareUpdateExclusiveLock, else the strongest subcommand's mode. */
export function alterTableLockMode(cmds: readonly Node[]): LockMode {
  let mode = LockMode.ShareUpdateExclusive;
  for (const node of cmds) {
    const cmd = asNode(node, 'AlterTableCmd');
    if (cmd) mode = Math.max(mode, commandLockMode(cmd)) as LockMode;
  }
  return mode;
}
