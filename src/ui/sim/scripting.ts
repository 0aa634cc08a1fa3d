// window.evscope functions of the simulator and ground truth: researchers (and browser tests)
// create simulations, read the truth and score localizations from the console.
import type { PresetName, SimulationParams } from '../../core/sim/params';
import { presetParams } from '../../core/sim/presets';
import { type StackInfo, stackService, type TruthFrames } from '../../engine/stackService';
import { registerScripting } from '../../scripting/api';
import { activeStack, dataStore } from '../../state/dataStore';
import { openSimulation, simulationParamsOf } from '../../state/simulationActions';
import { scoreNow } from '../../state/truthStore';

function activeSimulatedId(): number {
  const st = activeStack(dataStore.getState());
  if (!st || !simulationParamsOf(st.info)) {
    throw new Error('the active stack has no ground truth: open or create a simulation first');
  }
  return st.info.id;
}

let registered = false;

export function registerSimulationScripting(): void {
  if (registered) return;
  registered = true;
  /** Opens a simulated stack from full parameters or a preset name; resolves to its info. */
  registerScripting('newSimulation', async (params: SimulationParams | PresetName): Promise<StackInfo> => {
    const p = typeof params === 'string' ? presetParams(params) : params;
    const ok = await openSimulation(p);
    const st = activeStack(dataStore.getState());
    if (!ok || !st) throw new Error('the simulation could not be opened (see the notice on screen)');
    return st.info;
  });
  /** Ground-truth emission events of the active simulated stack: plain arrays, frames 0-based, nm. */
  registerScripting('groundTruthEvents', async (channel = 0, frames?: TruthFrames) => {
    const t = await stackService.truthEvents(activeSimulatedId(), channel, frames);
    return {
      length: t.length,
      frame: Array.from(t.frame),
      x: Array.from(t.x),
      y: Array.from(t.y),
      photons: Array.from(t.photons),
    };
  });
  /** Scores the active stack's localizations against its truth; summary numbers only. */
  registerScripting('groundTruthScore', async (toleranceNm?: number) => {
    const r = await scoreNow(stackService, toleranceNm);
    const { histX, histY, photonBins, scatter, frameBlocks, ...summary } = r;
    return summary;
  });
}

registerSimulationScripting();
