// Ground-truth access for simulated stacks, mixed into the stack worker's API: the worker that
// simulated a stack holds its truth (tens of thousands of emission events), so the truth is sliced
// and localizations are scored here, and only columns of one frame range or small summaries for
// the plots cross to the main thread (transferred, not copied).

import { type ColumnArray, type LocTable, selectRows } from '../src/core/locs/table';
import { type CompareOptions, compareWithTruth, type TruthComparison } from '../src/core/score/compare';
import type { Simulation } from '../src/core/sim/index';

/** Frames [start, end), 0-based. */
export interface TruthFrames {
  start: number;
  end: number;
}

/** Emission events of one channel: positions on that channel's camera, nm (origin at the top-left pixel corner). */
export interface TruthEventColumns {
  length: number;
  frame: Uint32Array;
  x: Float64Array;
  y: Float64Array;
  photons: Float64Array;
  molecule: Uint32Array;
  /** The EV or structure the molecule belongs to, or −1. */
  parent: Int32Array;
}

export interface TruthCompareOptions extends CompareOptions {
  /** Which channel's truth to compare with (default 0); a `channel` column in the localizations selects their rows too. */
  channel?: number;
  /** Frames compared (default: all). */
  frames?: TruthFrames;
}

type Transfer = <T>(value: T, transferables: Transferable[]) => T;

function clampFrames(frames: TruthFrames | undefined, count: number): TruthFrames {
  const start = Math.max(0, Math.min(count, Math.floor(frames?.start ?? 0)));
  const end = Math.max(start, Math.min(count, Math.ceil(frames?.end ?? count)));
  return { start, end };
}

function requireSimulation(sim: Simulation | null, stackId: number): Simulation {
  if (!sim) throw new Error(`stack ${stackId} has no ground truth: only simulated stacks have one`);
  return sim;
}

function checkChannel(sim: Simulation, channel: number): void {
  if (!Number.isInteger(channel) || channel < 0 || channel >= sim.params.channels.length) {
    throw new RangeError(
      `channel ${channel} does not exist (the simulation has ${sim.params.channels.length})`,
    );
  }
}

/** Rows [a, b) of channel `channel`'s events within `frames`: a contiguous slice of the sorted table. */
function eventRows(sim: Simulation, channel: number, frames: TruthFrames): [number, number] {
  const ev = sim.truth.events;
  return [ev.frameStart[channel * ev.frames + frames.start], ev.frameStart[channel * ev.frames + frames.end]];
}

export function groundTruthApi(simulationOf: (stackId: number) => Simulation | null, transfer: Transfer) {
  return {
    /** Whether the stack has ground truth (a simulation), without fetching any of it. */
    hasGroundTruth(stackId: number): boolean {
      return simulationOf(stackId) !== null;
    },

    /** The emission events of `channel` within `frames` (default all), as copied columns. */
    truthEvents(stackId: number, channel = 0, frames?: TruthFrames): TruthEventColumns {
      const sim = requireSimulation(simulationOf(stackId), stackId);
      checkChannel(sim, channel);
      const [a, b] = eventRows(sim, channel, clampFrames(frames, sim.params.frames));
      const c = sim.truth.events.columns;
      const out: TruthEventColumns = {
        length: b - a,
        frame: c.frame.slice(a, b),
        x: c.x.slice(a, b),
        y: c.y.slice(a, b),
        photons: c.photons.slice(a, b),
        molecule: c.molecule.slice(a, b),
        parent: c.parent.slice(a, b),
      };
      return transfer(
        out,
        [out.frame, out.x, out.y, out.photons, out.molecule, out.parent].map((v) => v.buffer),
      );
    },

    /**
     * Scores localizations (frame 0-based, x, y in nm; optionally `channel`) against the truth of
     * one channel, SMLM-Challenge style, with the CRLB of the simulated conditions. Returns
     * summary numbers and small arrays for plots.
     */
    scoreAgainstTruth(stackId: number, locs: LocTable, options: TruthCompareOptions = {}): TruthComparison {
      const sim = requireSimulation(simulationOf(stackId), stackId);
      const channel = options.channel ?? 0;
      checkChannel(sim, channel);
      const frames = clampFrames(options.frames, sim.params.frames);
      const [a, b] = eventRows(sim, channel, frames);
      const c = sim.truth.events.columns;
      const truth: LocTable = {
        length: b - a,
        columns: {
          frame: c.frame.subarray(a, b),
          x: c.x.subarray(a, b),
          y: c.y.subarray(a, b),
          photons: c.photons.subarray(a, b),
        },
      };
      const result = compareWithTruth(
        truth,
        onlyChannel(locs, channel),
        sim.params,
        channel,
        frames,
        options,
      );
      const arrays: ColumnArray[] = [
        result.histX.edges,
        result.histX.counts,
        result.histX.expected,
        result.histY.edges,
        result.histY.counts,
        result.histY.expected,
        result.photonBins.photons,
        result.photonBins.count,
        result.photonBins.rmse,
        result.photonBins.crlb,
        result.scatter.photons,
        result.scatter.error,
        result.frameBlocks.start,
        result.frameBlocks.end,
        result.frameBlocks.jaccard,
      ];
      return transfer(
        result,
        arrays.map((v) => v.buffer),
      );
    },
  };
}

/** Rows of one channel when the table says which channel each row came from. */
function onlyChannel(locs: LocTable, channel: number): LocTable {
  const ch = locs.columns.channel;
  if (!ch) return locs;
  const keep = new Uint8Array(locs.length);
  let all = true;
  for (let i = 0; i < locs.length; i++) {
    keep[i] = ch[i] === channel ? 1 : 0;
    all &&= keep[i] === 1;
  }
  return all ? locs : selectRows(locs, keep);
}
