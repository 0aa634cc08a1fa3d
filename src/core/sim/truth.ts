import type { CalciumTruth } from './calcium';
// Ground truth beyond the emission events: the EVs, their trajectories, the membrane structures
// with their lifetimes, and everything about the instrument a localizer should recover
// (drift, channel transforms, sCMOS maps).
import type { ScmosMaps } from './camera';
import type { TruthEvents } from './events';
import type { Affine2D } from './geometry';

export const EV_STATE = { mobile: 0, bound: 1, inside: 2 } as const;
export const EV_STATE_NAMES = ['mobile', 'bound', 'inside'] as const;

export interface EvTruth {
  readonly length: number;
  subtypeNames: string[];
  markers: string[];
  id: Uint32Array;
  subtype: Uint8Array;
  diameterNm: Float64Array;
  /** Centre in the sample at arrival (EVs on glass stay there), nm. */
  x: Float64Array;
  y: Float64Array;
  /** Marker molecules on the EV per marker, and how many of them carry a dye. */
  markerCounts: Record<string, Uint16Array>;
  labelledCounts: Record<string, Uint16Array>;
  /** Bound fluidity-probe molecules. */
  probeCount: Uint16Array;
  /** First frame the EV is present (0 on glass). */
  arrivalFrame: Int32Array;
  /** Frame at which it was internalised (no longer visible), or −1. */
  internalisedFrame: Int32Array;
}

/** One row per EV per frame while visible; EV rows are contiguous and in frame order. */
export interface TrajectoryTruth {
  readonly length: number;
  ev: Uint32Array;
  frame: Uint32Array;
  /** Sample position, nm (before drift and channel transform). */
  x: Float64Array;
  y: Float64Array;
  /** EV_STATE code. */
  state: Uint8Array;
  /** Structure the EV is bound beside or inside, or −1. */
  structure: Int32Array;
}

export const STRUCTURE_KIND_NAMES = ['caveola', 'endocytic patch'] as const;

/** Membrane structures as ellipses in sample coordinates that exist over [startFrame, endFrame). */
export interface StructureTruth {
  readonly length: number;
  id: Uint32Array;
  /** Index into STRUCTURE_KIND_NAMES. */
  kind: Uint8Array;
  x: Float64Array;
  y: Float64Array;
  /** Semi-axes, nm, and orientation of the first axis, radians. */
  rx: Float64Array;
  ry: Float64Array;
  angle: Float64Array;
  startFrame: Int32Array;
  endFrame: Int32Array;
  /** Frames over which molecule density ramps up after start and down before end. */
  rampFrames: Int32Array;
  /** Labelled molecules the structure recruited over its life. */
  molecules: Uint32Array;
}

export interface CellTruth {
  x: number;
  y: number;
  rx: number;
  ry: number;
}

export interface SimulationTruth {
  events: TruthEvents;
  evs: EvTruth;
  trajectories: TrajectoryTruth;
  structures: StructureTruth;
  /** The cell outline (uptake scene), or null. */
  cell: CellTruth | null;
  /** Stage drift per frame added to sample positions, nm. */
  driftX: Float64Array;
  driftY: Float64Array;
  /** Per channel: channel-0 camera nm → this channel's camera nm. */
  channelTransforms: Affine2D[];
  channelNames: string[];
  scmosMaps: ScmosMaps | null;
  /** Cells and their Ca²⁺ responses (calcium scene), or null. */
  calcium: CalciumTruth | null;
}

export function emptyEvTruth(markers: string[], subtypeNames: string[]): EvTruth {
  return allocEvTruth(0, markers, subtypeNames);
}

export function allocEvTruth(n: number, markers: string[], subtypeNames: string[]): EvTruth {
  const perMarker = () => Object.fromEntries(markers.map((m) => [m, new Uint16Array(n)]));
  return {
    length: n,
    subtypeNames,
    markers,
    id: new Uint32Array(n),
    subtype: new Uint8Array(n),
    diameterNm: new Float64Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    markerCounts: perMarker(),
    labelledCounts: perMarker(),
    probeCount: new Uint16Array(n),
    arrivalFrame: new Int32Array(n),
    internalisedFrame: new Int32Array(n).fill(-1),
  };
}

export function allocTrajectoryTruth(n: number): TrajectoryTruth {
  return {
    length: n,
    ev: new Uint32Array(n),
    frame: new Uint32Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    state: new Uint8Array(n),
    structure: new Int32Array(n),
  };
}

export function allocStructureTruth(n: number): StructureTruth {
  return {
    length: n,
    id: new Uint32Array(n),
    kind: new Uint8Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    rx: new Float64Array(n),
    ry: new Float64Array(n),
    angle: new Float64Array(n),
    startFrame: new Int32Array(n),
    endFrame: new Int32Array(n),
    rampFrames: new Int32Array(n),
    molecules: new Uint32Array(n),
  };
}

/** Relative molecule density of a structure at a frame: linear ramps at both ends, 0 outside its life. */
export function structureProfile(s: StructureTruth, i: number, frame: number): number {
  const a = s.startFrame[i];
  const b = s.endFrame[i];
  if (frame < a || frame >= b) return 0;
  const r = s.rampFrames[i];
  if (r <= 0) return 1;
  return Math.min(1, (frame - a + 0.5) / r, (b - frame - 0.5) / r);
}
