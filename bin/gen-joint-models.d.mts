// Types of bin/gen-joint-models.mjs for the unit test that imports it.
export const OUTPUT: string;
export const EMITTER_COUNTS: number[];
export function jointModel(k: number): string;
export function moduleText(): string;
