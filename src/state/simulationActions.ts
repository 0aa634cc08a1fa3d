// Opening simulated stacks: the demo the workbench starts on, and the "New simulation" dialog's
// result. A simulation is a stack recipe the stack worker follows (and keeps the ground truth of).
import type { PresetName, SimulationParams } from '../core/sim/params';
import { PRESET_NAMES, presetParams } from '../core/sim/presets';
import { validateSimulationParams } from '../core/sim/validate';
import { dataActions } from './dataActions';
import { dataStore } from './dataStore';

type DataActions = typeof dataActions;

/** Whether a stack was simulated (and so has ground truth in the stack worker). */
export function isSimulated(info: { recipe: { kind: string } }): boolean {
  return info.recipe.kind === 'simulated';
}

/** The simulation parameters of a simulated stack, or null. */
export function simulationParamsOf(info: { recipe: { kind: string } }): SimulationParams | null {
  const r = info.recipe as { kind: string; params?: SimulationParams };
  return r.kind === 'simulated' && r.params ? r.params : null;
}

export function simulationLabel(p: SimulationParams): string {
  return `Simulating ${p.preset} (${p.width}×${p.height} px, ${p.frames} frames, ${p.channels.length} ch)`;
}

/** Opens a simulated stack; invalid parameters throw with every problem listed. */
export function openSimulation(
  params: SimulationParams,
  label = simulationLabel(params),
  actions: Pick<DataActions, 'openRecipe'> = dataActions,
): Promise<boolean> {
  const problems = validateSimulationParams(params);
  if (problems.length) throw new Error(`invalid simulation parameters:\n- ${problems.join('\n- ')}`);
  return actions.openRecipe({ kind: 'simulated', params }, label);
}

/**
 * Which demo the page asks for: `?demo=0` (or off/false/none) for an empty workbench,
 * `?demo=<preset>` for another preset, anything else the EV uptake demo.
 */
export function demoFromUrl(search: string): PresetName | null {
  const v = new URLSearchParams(search).get('demo');
  if (v === null || v === '' || v === '1' || v === 'true') return 'demo';
  if (['0', 'false', 'off', 'none', 'no'].includes(v.toLowerCase())) return null;
  return (PRESET_NAMES as string[]).includes(v) ? (v as PresetName) : 'demo';
}

/**
 * Opens the demo without taking the screen from data the user (or a script) opened while it was
 * being simulated: the stack worker answers in order, but a later stack must stay the active one.
 */
export async function openDemo(
  preset: PresetName = 'demo',
  actions: Pick<DataActions, 'openRecipe' | 'select'> = dataActions,
): Promise<boolean> {
  const before = new Set(dataStore.getState().stacks.map((s) => s.info.id));
  const ok = await openSimulation(presetParams(preset), `Opening the simulated ${preset} dataset`, actions);
  if (!ok) return false;
  const { stacks, activeId } = dataStore.getState();
  const demoId = activeId;
  const later = stacks.filter((s) => !before.has(s.info.id) && s.info.id !== demoId);
  if (later.length) actions.select(later[later.length - 1].info.id);
  return true;
}
