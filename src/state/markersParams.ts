// The EV-marker step's parameters as plain data (sessions, undo, "stale" detection), their
// defaults from the stack (channel names, pixel size, frames), and the translation to the
// kernel's EvMarkerParamsInput. Validation is the kernel's own, so the panel refuses exactly
// what the worker would.
import type { ProbeTest } from '../core/ev/classify';
import {
  type EvMarkerParams,
  type EvMarkerParamsInput,
  resolveEvMarkerParams,
  validateEvMarkerParams,
} from '../core/ev/params';
import type { FrameSource } from '../core/stack/types';
import type { StackInfo } from '../engine/stackService';

export type ChannelRole = 'marker' | 'probe' | 'skip';

export interface MarkerChannelConfig {
  /** 0-based channel of the stack. */
  channel: number;
  name: string;
  role: ChannelRole;
  /** Molecules needed to call the marker present. */
  threshold: number;
  /** Single-dye intensity (ADU over the ROI); empty = learnt from the final bleaching steps. */
  unitIntensity?: number;
}

export interface MarkersParams {
  channels: MarkerChannelConfig[];
  /** 'union': EVs seen in any marker channel; a number: only that channel. */
  reference: 'union' | number;
  thresholdK: number;
  projectionFrames: number;
  projection: 'mean' | 'max';
  minSeparationPx: number;
  radiusPx: number;
  annulusInnerPx: number;
  annulusOuterPx: number;
  penaltyFactor: number;
  minSegment: number;
  /** 0-based first frame and number of frames. */
  frameStart: number;
  frameCount: number;
  method: 'steps' | 'ratio';
  disagreementZ: number;
  /** Default subtype name → the user's name. */
  rename: Record<string, string>;
  test: ProbeTest;
}

/** What the kernel reads of a stack: enough of a FrameSource for defaults and validation. */
export function stackShape(
  info: Pick<StackInfo, 'width' | 'height' | 'frameCount' | 'channels' | 'meta' | 'name'>,
): FrameSource {
  return {
    name: info.name,
    width: info.width,
    height: info.height,
    frameCount: info.frameCount,
    channels: info.channels,
    dtype: 'uint16',
    meta: info.meta,
    readFrame: () => Promise.reject(new Error('stack shape only: frames are read in the worker')),
  };
}

export function defaultMarkersParams(info: Parameters<typeof stackShape>[0]): MarkersParams {
  const k: EvMarkerParams = resolveEvMarkerParams({}, stackShape(info));
  return {
    channels: k.channels.map((c) => ({
      channel: c.channel,
      name: c.name,
      role: c.role,
      threshold: c.threshold,
    })),
    reference: k.detection.reference,
    thresholdK: k.detection.thresholdK,
    projectionFrames: k.detection.projectionFrames,
    projection: k.detection.projection,
    minSeparationPx: k.detection.minSeparationPx,
    radiusPx: k.roi.radiusPx,
    annulusInnerPx: k.roi.annulusInnerPx,
    annulusOuterPx: k.roi.annulusOuterPx,
    penaltyFactor: k.steps.penaltyFactor,
    minSegment: k.steps.minSegment,
    frameStart: k.frameStart,
    frameCount: k.frameCount,
    method: k.counting.method,
    disagreementZ: k.counting.disagreementZ,
    rename: {},
    test: 'welch',
  };
}

/** The kernel's parameters; `pixelSizeNm` is the stack's after the user's corrections. */
export function toEvParams(p: MarkersParams, pixelSizeNm: number | undefined): EvMarkerParamsInput {
  return {
    channels: p.channels
      .filter((c) => c.role !== 'skip')
      .map((c) => ({
        channel: c.channel,
        name: c.name.trim(),
        role: c.role as 'marker' | 'probe',
        threshold: c.threshold,
        ...(c.unitIntensity !== undefined ? { unitIntensity: c.unitIntensity } : {}),
      })),
    ...(pixelSizeNm !== undefined ? { pixelSizeNm } : {}),
    frameStart: p.frameStart,
    frameCount: p.frameCount,
    detection: {
      reference: p.reference,
      thresholdK: p.thresholdK,
      projectionFrames: p.projectionFrames,
      projection: p.projection,
      minSeparationPx: p.minSeparationPx,
    },
    roi: { radiusPx: p.radiusPx, annulusInnerPx: p.annulusInnerPx, annulusOuterPx: p.annulusOuterPx },
    steps: { penaltyFactor: p.penaltyFactor, minSegment: p.minSegment },
    counting: { method: p.method, disagreementZ: p.disagreementZ },
    subtypeNames: p.rename,
  };
}

/** Every reason the parameters cannot run on this stack, in the kernel's words. */
export function markersParamErrors(
  p: MarkersParams,
  info: Parameters<typeof stackShape>[0],
  pixelSizeNm: number | undefined,
): string[] {
  const src = stackShape(info);
  const extra: string[] = [];
  if (!p.channels.some((c) => c.role === 'marker'))
    extra.push('Mark at least one channel as a marker: subtypes are defined by markers.');
  if (p.channels.filter((c) => c.role === 'probe').length > 1)
    extra.push('Only one channel can be the fluidity probe.');
  return [...extra, ...validateEvMarkerParams(resolveEvMarkerParams(toEvParams(p, pixelSizeNm), src), src)];
}

/** The parameters that need a new pass over the stack when they change (the rest re-type only). */
export function runKey(p: MarkersParams, pixelSizeNm: number | undefined): string {
  const { rename: _r, test: _t, method: _m, ...rest } = p;
  return JSON.stringify({
    ...rest,
    channels: p.channels.map(({ threshold: _th, ...c }) => c),
    pixelSizeNm,
  });
}
