// The Localize step of an experiment applied to one stack, shared by `evscope batch` and the
// Experiment panel so both localize an input with the same camera and channel.
import type { LocalizeParamsInput } from '../localize/params';
import { PHYSICAL_DEFAULTS } from '../physicalDefaults';
import type { CameraMeta } from '../stack/types';
import type { ExperimentLocalizeParams } from './model';

export interface LocalizeStepStack {
  channels: number;
  meta: { camera?: CameraMeta };
}

/**
 * The file's camera, overridden by what the step sets; the step's channel (default 0), checked
 * against the stack's channels.
 */
export function localizeStepParams(
  step: ExperimentLocalizeParams | undefined,
  stack: LocalizeStepStack,
  pixelSizeNm: number | undefined,
): { channel: number; params: LocalizeParamsInput } {
  const cam = stack.meta.camera ?? {};
  const { channel = 0, ...given } = step ?? {};
  if (channel >= stack.channels)
    throw new Error(`localize.channel ${channel} is not a channel of the stack (0–${stack.channels - 1})`);
  const params: LocalizeParamsInput = {
    pixelSizeNm,
    ...given,
    camera: {
      kind: cam.kind ?? 'ccd',
      offsetAdu: cam.offsetAdu ?? PHYSICAL_DEFAULTS.offsetAdu,
      electronsPerAdu: cam.electronsPerAdu ?? PHYSICAL_DEFAULTS.electronsPerAdu,
      emGain: cam.emGain ?? PHYSICAL_DEFAULTS.emGain,
      quantumEfficiency: cam.quantumEfficiency ?? 1,
      readNoiseE: cam.readNoiseE ?? 0,
      ...step?.camera,
    },
  };
  return { channel, params };
}
