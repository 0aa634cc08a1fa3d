// The Ca²⁺ step's parameters as one schema: the panel's fields, `evscope calcium`'s flags and an
// experiment file's `steps.calcium` all take their limits from it. Frames are 0-based here (the
// panel and the CLI show them 1-based, as ImageJ does). A hand-written section gets every problem
// in one message, unknown keys named (a misspelt "addframe" must not fall back to a default
// silently). Checks that need the stack (the addition frame within it) run when it is open.
import { above, fieldAt, intIn, issueLine, numIn, rangeNote, v } from '../schema';
import type { CalciumParams } from './analyse';
import { responseDefaults, responseParamProblems } from './response';

/** The response criteria (src/core/calcium/response.ts); each optional one has its default there. */
export const CalciumResponseFields = {
  /** The frame the EVs were added, 0-based: at least one frame of baseline comes before it. */
  addFrame: intIn(1, 2 ** 31),
  baselineStart: intIn(0, 2 ** 31),
  /** Exclusive. */
  baselineEnd: intIn(0, 2 ** 31),
  /** Threshold in baseline SDs. */
  k: above(0, 1e6),
  minFrames: intIn(1, 1e6),
  bleach: v.picklist(['none', 'exp']),
  frameIntervalS: above(0, 1e6),
  refractoryFrames: intIn(0, 1e6),
};

export const SegmentOptionsSchema = v.strictObject({
  smoothSigmaPx: v.optional(numIn(0, 1e4)),
  threshold: v.optional(numIn()),
  method: v.optional(v.picklist(['triangle', 'otsu'])),
  splitTouching: v.optional(v.boolean()),
  hPx: v.optional(numIn(0, 1e4)),
  minAreaPx: v.optional(numIn(0, 1e9)),
  halfMaxEdges: v.optional(v.boolean()),
});

export const BackgroundOptionsSchema = v.strictObject({
  marginPx: v.optional(numIn(0, 1e4)),
  percentile: v.optional(above(0, 100)),
});

const F = CalciumResponseFields;
const calciumEntries = {
  addFrame: F.addFrame,
  baselineStart: v.optional(F.baselineStart),
  baselineEnd: v.optional(F.baselineEnd),
  k: v.optional(F.k),
  minFrames: v.optional(F.minFrames),
  bleach: v.optional(F.bleach),
  frameIntervalS: v.optional(F.frameIntervalS),
  refractoryFrames: v.optional(F.refractoryFrames),
  segment: v.optional(SegmentOptionsSchema),
  background: v.optional(BackgroundOptionsSchema),
  /** Frames averaged for the segmentation image. */
  meanFrames: v.optional(intIn(1, 1e6)),
};

/** CalciumParams as a schema (without the checks between fields: see calciumParamProblems). */
export const CalciumParamsSchema = v.strictObject(calciumEntries) satisfies v.GenericSchema<
  unknown,
  CalciumParams
>;

/** Each number's unit, for the messages. */
const UNITS: Record<string, string> = {
  addFrame: 'frames (0-based)',
  baselineStart: 'frames (0-based)',
  baselineEnd: 'frames (0-based)',
  k: 'baseline SDs',
  minFrames: 'frames',
  frameIntervalS: 's',
  refractoryFrames: 'frames',
  smoothSigmaPx: 'px',
  hPx: 'px',
  minAreaPx: 'px',
  marginPx: 'px',
  percentile: '%',
  meanFrames: 'frames',
};

function schemaFor(extraKeys: readonly string[]) {
  if (!extraKeys.length) return CalciumParamsSchema;
  const extra = Object.fromEntries(extraKeys.map((k) => [k, v.optional(v.unknown())]));
  return v.strictObject({ ...calciumEntries, ...extra });
}

/** One schema issue as a sentence naming the field, the value, and for a limit its range and unit. */
function problem(issue: v.BaseIssue<unknown>, schema: v.GenericSchema, where: string): string {
  const keys = (issue.path ?? []).map((p) => p.key as PropertyKey);
  const last = String(keys.at(-1) ?? '');
  const isUnknown = issue.path?.at(-1)?.origin === 'key' && issue.expected === 'never';
  if (isUnknown) {
    const near = Object.keys(calciumEntries)
      .concat(Object.keys(SegmentOptionsSchema.entries), Object.keys(BackgroundOptionsSchema.entries))
      .find((a) => a.toLowerCase() === last.toLowerCase());
    return `${issueLine(issue, where)}${near ? ` (${near}?)` : ''}`;
  }
  if (last === 'addFrame' && issue.input === undefined)
    return `${where}.addFrame is required (0-based frame of the EV addition)`;
  const field = fieldAt(schema, keys);
  return `${issueLine(issue, where)}${field ? rangeNote(issue, field, UNITS[last] ?? '') : ''}`;
}

/**
 * Problems with hand-written Ca²⁺ parameters (empty: usable), each naming its field under
 * `where`. `extraKeys` are keys the caller adds beside CalciumParams (an experiment's channel).
 */
export function calciumParamProblems(
  j: unknown,
  where = 'calcium',
  extraKeys: readonly string[] = [],
): string[] {
  const schema = schemaFor(extraKeys);
  const r = v.safeParse(schema, j, { abortPipeEarly: true });
  // Unknown keys first: a misspelt name explains the "required" and default problems after it.
  const unknownFirst = (i: v.BaseIssue<unknown>) => (i.expected === 'never' ? 0 : 1);
  if (!r.success)
    return [...r.issues]
      .sort((a, b) => unknownFirst(a) - unknownFirst(b))
      .map((i) => problem(i, schema, where));
  return responseParamProblems(responseDefaults(r.output)).map((p) => `${where}: ${p}`);
}

/** The parameters, or an error listing every problem. */
export function checkCalciumParams(
  j: unknown,
  where = 'calcium',
  extraKeys: readonly string[] = [],
): CalciumParams {
  const problems = calciumParamProblems(j, where, extraKeys);
  if (problems.length) throw new Error(problems.join('; '));
  return v.parse(schemaFor(extraKeys), j) as CalciumParams;
}
