/**
 * What a person has chosen in the simulator: the program (a preset, then edited), one driver or
 * several side by side, and the PostgreSQL driver whose server side is the engine session.
 */
import { DRIVER_NAMES, isPostgresDriver, type DriverName } from '../../engine/clientTimeouts';
import type { ClientProgram, ClientTimeoutsAttachment } from '../../lessons';
import { PHASE_PRESETS, type ProgramPreset } from './clientProgram';

export type DriverView = { kind: 'one'; driver: DriverName } | { kind: 'compare'; all: boolean };

export interface SimulatorSettings {
  presetId: string;
  program: ClientProgram;
  view: DriverView;
  linkedDriver: DriverName | null;
}

export const LESSON_PRESET_ID = 'lesson';

export function presetsFor(attachment: ClientTimeoutsAttachment | null): ProgramPreset[] {
  return attachment
    ? [{ id: LESSON_PRESET_ID, label: 'The lesson’s program', program: attachment.program }, ...PHASE_PRESETS]
    : [...PHASE_PRESETS];
}

export function initialSettings(attachment: ClientTimeoutsAttachment | null): SimulatorSettings {
  const preset = attachment
    ? { id: LESSON_PRESET_ID, program: attachment.program }
    : (PHASE_PRESETS.find((candidate) => candidate.id === 'phase:query') ??
      (PHASE_PRESETS[0] as ProgramPreset));
  return {
    presetId: preset.id,
    program: preset.program,
    view: { kind: 'compare', all: attachment === null },
    linkedDriver: attachment?.drivers.find(isPostgresDriver) ?? null,
  };
}

/** The drivers on screen, in order. */
export function shownDrivers(view: DriverView, attachment: ClientTimeoutsAttachment | null): DriverName[] {
  if (view.kind === 'one') return [view.driver];
  return view.all || !attachment ? [...DRIVER_NAMES] : attachment.drivers;
}

export function choosePreset(
  settings: SimulatorSettings,
  presets: readonly ProgramPreset[],
  presetId: string,
): SimulatorSettings {
  const preset = presets.find((candidate) => candidate.id === presetId);
  return preset ? { ...settings, presetId, program: preset.program } : settings;
}
