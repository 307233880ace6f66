/**
 * The simulator's settings for the page, kept while its tab is closed, and the engine link: in a
 * lesson with one, the controller plays the lesson's deadline step with the current settings (the
 * linked driver, the program as edited, its deadline). A new lesson starts from its own settings.
 */
import { useEffect, useRef, useState } from 'react';
import type { ClientTimeoutsAttachment } from '../../lessons';
import type { PlaygroundController } from '../playground/playgroundController';
import { engineLinkReplacement, type EngineLinkSetting } from './engineLinkStep';
import { initialSettings, type SimulatorSettings } from './simulatorSettings';

export interface ClientTimeouts {
  settings: SimulatorSettings;
  setSettings: (settings: SimulatorSettings) => void;
}

export function useClientTimeouts(
  controller: PlaygroundController,
  attachment: ClientTimeoutsAttachment | null,
): ClientTimeouts {
  const [state, setState] = useState(() => ({ attachment, settings: initialSettings(attachment) }));
  const current =
    state.attachment === attachment ? state : { attachment, settings: initialSettings(attachment) };
  if (current !== state) setState(current);

  const link = useRef<EngineLinkSetting | null>(null);
  const { program, linkedDriver } = current.settings;
  useEffect(() => {
    link.current = attachment && linkedDriver ? { attachment, program, driver: linkedDriver } : null;
  }, [attachment, program, linkedDriver]);
  useEffect(() => {
    if (!attachment) return;
    const replacement = engineLinkReplacement(() => link.current as EngineLinkSetting);
    controller.replaceSteps((step, playground) => (link.current ? replacement(step, playground) : null));
    return () => controller.replaceSteps(null);
  }, [attachment, controller]);

  return {
    settings: current.settings,
    setSettings: (settings) => setState({ attachment, settings }),
  };
}
