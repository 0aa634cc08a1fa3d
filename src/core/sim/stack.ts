// SimulatedStack: a FrameSource whose frames are generated on demand. The emission events are
// fixed up front; frame k of channel c draws its noise from its own RNG stream, so frames can be
// read in any order, any number of times, and always come out identical.
import { integratedGaussian1D } from '../psf/integratedGaussian';
import { Rng } from '../random';
import type { FrameSource, ReadOptions, StackMeta } from '../stack/types';
import { type CalciumTruth, calciumSignal } from './calcium';
import { CameraExposure, type ScmosMaps } from './camera';
import type { TruthEvents } from './events';
import type { SimulationParams } from './params';
import { frameNoiseSeed } from './seeds';

/** Largest PSF window side, px (σ ≤ 10 px by validation: 2·(ceil(4σ)+1)+1). */
const MAX_WINDOW = 2 * (40 + 1) + 1;

export class SimulatedStack implements FrameSource {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly channels: number;
  readonly dtype = 'uint16' as const;
  readonly meta: StackMeta;
  private readonly exposure: CameraExposure;
  private readonly signal: Float64Array;
  private readonly gx = new Float64Array(MAX_WINDOW);
  private readonly gy = new Float64Array(MAX_WINDOW);
  private readonly cellFactors: Float64Array;

  constructor(
    readonly params: SimulationParams,
    readonly events: TruthEvents,
    /** Per channel: a per-pixel background map (photons) or a flat value. */
    private readonly backgrounds: (Float64Array | number)[],
    readonly scmosMaps: ScmosMaps | null,
    /** The calcium scene's cells: frames then come from them, not from emission events. */
    readonly calcium: CalciumTruth | null = null,
  ) {
    this.name = `simulated-${params.preset}-seed${params.seed}`;
    this.width = params.width;
    this.height = params.height;
    this.frameCount = params.frames;
    this.channels = params.channels.length;
    this.exposure = new CameraExposure(params.camera, scmosMaps);
    this.signal = new Float64Array(params.width * params.height);
    this.cellFactors = new Float64Array((calcium?.length ?? 0) + 1);
    const c = params.camera;
    this.meta = {
      flavour: 'simulated',
      byteOrder: 'little',
      pixelSizeNm: params.pixelSizeNm,
      frameIntervalMs: params.frameIntervalMs,
      camera: {
        kind: c.kind,
        offsetAdu: c.offsetAdu,
        electronsPerAdu: c.electronsPerAdu,
        emGain: c.kind === 'emccd' ? c.emGain : 1,
        readNoiseE: c.readNoiseE,
      },
      channelNames: params.channels.map((ch) => ch.name),
      simulated: true,
      extra: { preset: params.preset, seed: params.seed, emitters: events.length },
    };
  }

  async readFrame(index: number, options?: ReadOptions): Promise<Uint16Array> {
    options?.signal?.throwIfAborted();
    const out = new Uint16Array(this.width * this.height);
    this.renderFrameInto(index, options?.channel ?? 0, out);
    return out;
  }

  /** Synchronous generation into a caller-owned buffer (workers, benchmarks, writers). */
  renderFrameInto(index: number, channel: number, out: Uint16Array): void {
    this.checkIndex(index, channel);
    const hasEmitters = this.expectedSignal(index, channel, this.signal);
    const rng = new Rng(frameNoiseSeed(this.params.seed, channel), index);
    this.exposure.expose(
      { signal: hasEmitters ? this.signal : null, background: this.backgrounds[channel] },
      this.width * this.height,
      rng,
      out,
    );
  }

  /** Noise-free expected photons per pixel (emitters + background) of a frame. */
  expectedPhotons(index: number, channel = 0): Float64Array {
    this.checkIndex(index, channel);
    const out = new Float64Array(this.width * this.height);
    this.expectedSignal(index, channel, out);
    const bg = this.backgrounds[channel];
    for (let i = 0; i < out.length; i++) out[i] += typeof bg === 'number' ? bg : bg[i];
    return out;
  }

  private checkIndex(index: number, channel: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(`${this.name}: frame ${index} is outside 0–${this.frameCount - 1}`);
    }
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.channels) {
      throw new RangeError(`${this.name}: channel ${channel} is outside 0–${this.channels - 1}`);
    }
  }

  /**
   * Adds each emitter's photons × pixel-integrated Gaussian into `out` (zeroed first), only over a
   * window of ±(ceil(4σ)+1) px around it: the tail outside holds < 1e-4 of the photons.
   */
  private expectedSignal(index: number, channel: number, out: Float64Array): boolean {
    if (this.calcium) {
      calciumSignal(this.calcium, index, out, this.cellFactors);
      return true;
    }
    out.fill(0);
    const ev = this.events;
    const k = channel * ev.frames + index;
    const start = ev.frameStart[k];
    const end = ev.frameStart[k + 1];
    if (end === start) return false;
    const w = this.width;
    const h = this.height;
    const px = this.params.pixelSizeNm;
    const sigma = this.params.channels[channel].psfSigmaNm / px;
    const half = Math.ceil(4 * sigma) + 1;
    const side = 2 * half + 1;
    const { gx, gy } = this;
    const { x, y, photons } = ev.columns;
    for (let e = start; e < end; e++) {
      const xp = x[e] / px;
      const yp = y[e] / px;
      const x0 = Math.floor(xp) - half;
      const y0 = Math.floor(yp) - half;
      integratedGaussian1D(xp - x0, sigma, side, gx);
      integratedGaussian1D(yp - y0, sigma, side, gy);
      const n = photons[e];
      const j0 = Math.max(0, -y0);
      const j1 = Math.min(side, h - y0);
      const i0 = Math.max(0, -x0);
      const i1 = Math.min(side, w - x0);
      for (let j = j0; j < j1; j++) {
        const row = (y0 + j) * w + x0;
        const fy = n * gy[j];
        for (let i = i0; i < i1; i++) out[row + i] += fy * gx[i];
      }
    }
    return true;
  }
}
