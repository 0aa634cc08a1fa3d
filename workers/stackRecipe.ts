// A stack as a recipe any worker can follow to open its own FrameSource: the files (Files and
// Blobs clone across threads without copying their bytes), how they were combined, or the
// simulation that makes them. Localization workers open the stack themselves from the recipe,
// so frames never cross threads; sessions keep the recipe to re-run an analysis.
import { CachedSimulatedStack, simulationCacheKey } from '../src/core/sim/frameCache';
import { type Simulation, simulate } from '../src/core/sim/index';
import type { SimulationParams } from '../src/core/sim/params';
import type { FrameSource } from '../src/core/stack/types';
import { opfsChunkStore } from './opfsChunkStore';
import { blobByteSource, openChannels, openStack, splitDualView } from './stackReaders';

/** A file handed to a worker. Browsers clone File with its name, Node's MessagePort does not. */
export interface InputFile {
  name: string;
  blob: Blob;
}

export type StackRecipe =
  | { kind: 'files'; files: InputFile[] }
  | { kind: 'channels'; inputs: StackRecipe[] }
  | { kind: 'dualView'; base: StackRecipe; layout: 'left-right' | 'top-bottom' }
  | { kind: 'simulated'; params: SimulationParams };

/** The simulation behind each stack this worker opened from a recipe, with its ground truth. */
const simulations = new WeakMap<FrameSource, Simulation>();

export async function openRecipe(recipe: StackRecipe, signal?: AbortSignal): Promise<FrameSource> {
  switch (recipe.kind) {
    case 'files':
      return openStack(
        recipe.files.map((f) => blobByteSource(f.blob, f.name)),
        { signal },
      );
    case 'channels':
      return openChannels(await Promise.all(recipe.inputs.map((r) => openRecipe(r, signal))));
    case 'dualView':
      return splitDualView(await openRecipe(recipe.base, signal), recipe.layout);
    case 'simulated': {
      const sim = simulate(recipe.params);
      // In the browser, frames generated once are read back from OPFS (frameCache.ts).
      const store = await opfsChunkStore(simulationCacheKey(recipe.params));
      const src: FrameSource = store ? new CachedSimulatedStack(sim.stack, store) : sim.stack;
      simulations.set(src, sim);
      return src;
    }
  }
}

/** The simulation (and ground truth) behind a stack, or null for stacks read from files. */
export function simulationOf(src: FrameSource): Simulation | null {
  return simulations.get(src) ?? null;
}

/** The file names a recipe reads, for labels and error messages. */
export function recipeFiles(recipe: StackRecipe): string[] {
  switch (recipe.kind) {
    case 'files':
      return recipe.files.map((f) => f.name);
    case 'channels':
      return recipe.inputs.flatMap(recipeFiles);
    case 'dualView':
      return recipeFiles(recipe.base);
    case 'simulated':
      return [];
  }
}
