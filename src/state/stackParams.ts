// A step's parameters follow the active stack: defaults from a new stack's metadata, the user's
// values kept while the same stack stays open.
import type { StackInfo } from '../engine/stackService';

interface ParamsSlice<P> {
  stackId: number | null;
  params: P | null;
}

/** The store's `forStack` action. */
export function paramsForStack<P>(
  get: () => ParamsSlice<P>,
  set: (s: ParamsSlice<P>) => void,
  defaults: (info: StackInfo) => P,
): (info: StackInfo | null) => void {
  return (info) => {
    if (!info) {
      if (get().stackId !== null) set({ stackId: null, params: null });
      return;
    }
    if (get().stackId === info.id && get().params) return;
    set({ stackId: info.id, params: defaults(info) });
  };
}
