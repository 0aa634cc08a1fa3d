// The Tracks & distances step's section of a session: the step's parameters (flat scalars), the
// stack they belong to, the tracks and distance results (packed by resultCodec: tables + JSON)
// and how its plots were shown. Bounded here; the store re-checks the parameters on restore.
import { bool, type Check, type Json, nullable, num, obj, oneOf, plainJson, record, str } from './schema';

const scalar: Check<Json> = (v, path, issues) => {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return num()(v, path, issues);
  return str({ max: 64 })(v, path, issues);
};

const optional: Record<string, Check<unknown>> = {
  stack: nullable(str({ max: 64, pattern: /^[A-Za-z0-9_.-]+$/, patternHint: 'a stack id' })),
  tracks: plainJson({ maxNodes: 20_000 }),
  tracksKey: nullable(str({ max: 4000 })),
  distances: plainJson({ maxNodes: 20_000 }),
  distancesKey: nullable(str({ max: 4000 })),
  /** The distances were measured on these tracks (not on an earlier tracking). */
  distancesOnTracks: bool,
  selectedTrack: nullable(num({ min: 0, max: 2 ** 32, integer: true })),
  colouring: oneOf(['time', 'distance'] as const),
  showOverlay: bool,
  histogramUnits: oneOf(['counts', 'percent'] as const),
};

const section = obj({ params: record(scalar, { maxKeys: 64 }) }, optional);

export const tracksSectionSchema: Check<Json> = (v, path, issues) =>
  section(v, path, issues) as Json | undefined;
