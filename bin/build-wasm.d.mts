// Types of bin/build-wasm.mjs for the unit test that imports it.
export interface Kernel {
  wat: string;
  ts: string;
  name: string;
}
export const KERNELS: Kernel[];
export function assembleWat(text: string, file?: string): Promise<Uint8Array>;
export function moduleText(k: Kernel, bytes: Uint8Array): string;
