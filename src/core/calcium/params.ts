// The Ca²⁺ step's parameters as written by hand (an experiment file's `steps.calcium`): the same
// CalciumParams the panel, worker and `evscope calcium` run with, checked here once — every
// problem in one message, unknown keys named (a misspelt "addframe" must not fall back to a
// default silently). Checks that need the stack (the addition frame within it) run when it is open.
import type { CalciumParams } from './analyse';
import { responseDefaults, responseParamProblems } from './response';

type Obj = Record<string, unknown>;

const RESPONSE_KEYS = [
  'addFrame',
  'baselineStart',
  'baselineEnd',
  'k',
  'minFrames',
  'bleach',
  'frameIntervalS',
  'refractoryFrames',
];
const SEGMENT_KEYS = [
  'smoothSigmaPx',
  'threshold',
  'method',
  'splitTouching',
  'hPx',
  'minAreaPx',
  'halfMaxEdges',
];
const BACKGROUND_KEYS = ['marginPx', 'percentile'];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function unknownKeys(o: Obj, allowed: readonly string[], where: string, out: string[]): void {
  for (const k of Object.keys(o)) {
    if (allowed.includes(k)) continue;
    const near = allowed.find((a) => a.toLowerCase() === k.toLowerCase());
    out.push(`${where}.${k} is not a parameter${near ? ` (${near}?)` : ''}`);
  }
}

function segmentProblems(s: unknown, where: string, out: string[]): void {
  if (s === undefined) return;
  if (!isObj(s)) {
    out.push(`${where} must be an object`);
    return;
  }
  unknownKeys(s, SEGMENT_KEYS, where, out);
  const nonNeg = (k: string) => {
    if (s[k] !== undefined && !(finite(s[k]) && (s[k] as number) >= 0))
      out.push(`${where}.${k} must be ≥ 0 px`);
  };
  nonNeg('smoothSigmaPx');
  nonNeg('hPx');
  nonNeg('minAreaPx');
  if (s.threshold !== undefined && !finite(s.threshold)) out.push(`${where}.threshold must be a number`);
  if (s.method !== undefined && s.method !== 'triangle' && s.method !== 'otsu')
    out.push(`${where}.method must be "triangle" or "otsu"`);
  for (const k of ['splitTouching', 'halfMaxEdges'])
    if (s[k] !== undefined && typeof s[k] !== 'boolean') out.push(`${where}.${k} must be true or false`);
}

function backgroundProblems(b: unknown, where: string, out: string[]): void {
  if (b === undefined) return;
  if (!isObj(b)) {
    out.push(`${where} must be an object`);
    return;
  }
  unknownKeys(b, BACKGROUND_KEYS, where, out);
  if (b.marginPx !== undefined && !(finite(b.marginPx) && b.marginPx >= 0))
    out.push(`${where}.marginPx must be ≥ 0 px`);
  if (b.percentile !== undefined && !(finite(b.percentile) && b.percentile > 0 && b.percentile <= 100))
    out.push(`${where}.percentile must be in (0, 100]`);
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
  if (!isObj(j)) return [`${where} must be an object`];
  const out: string[] = [];
  unknownKeys(j, [...RESPONSE_KEYS, 'segment', 'background', 'meanFrames', ...extraKeys], where, out);
  for (const k of RESPONSE_KEYS)
    if (j[k] !== undefined && k !== 'bleach' && !finite(j[k])) out.push(`${where}.${k} must be a number`);
  if (j.addFrame === undefined) out.push(`${where}.addFrame is required (0-based frame of the EV addition)`);
  if (!out.length)
    for (const p of responseParamProblems(responseDefaults(j as unknown as CalciumParams)))
      out.push(`${where}: ${p}`);
  segmentProblems(j.segment, `${where}.segment`, out);
  backgroundProblems(j.background, `${where}.background`, out);
  if (j.meanFrames !== undefined && !(Number.isInteger(j.meanFrames) && (j.meanFrames as number) >= 1))
    out.push(`${where}.meanFrames must be a whole number ≥ 1`);
  return out;
}

/** The parameters, or an error listing every problem. */
export function checkCalciumParams(
  j: unknown,
  where = 'calcium',
  extraKeys: readonly string[] = [],
): CalciumParams {
  const problems = calciumParamProblems(j, where, extraKeys);
  if (problems.length) throw new Error(problems.join('; '));
  return j as CalciumParams;
}
