// One call from parameters to a dataset: the stack that renders frames on demand and the truth.

import { Rng } from '../random';
import { backgroundPattern } from './background';
import { makeScmosMaps } from './camera';
import { EventBuilder, finalizeEvents } from './events';
import { driftTrajectory } from './geometry';
import type { SimulationParams } from './params';
import { buildScene } from './scenes';
import { BACKGROUND_TAG, DRIFT_TAG, SCMOS_TAG, subSeed } from './seeds';
import { SimulatedStack } from './stack';
import type { SimulationTruth } from './truth';
import { validateSimulationParams } from './validate';

export interface Simulation {
  params: SimulationParams;
  stack: SimulatedStack;
  truth: SimulationTruth;
}

export function simulate(params: SimulationParams): Simulation {
  const problems = validateSimulationParams(params);
  if (problems.length) throw new Error(`invalid simulation parameters:\n- ${problems.join('\n- ')}`);
  const p = params;
  const builder = new EventBuilder();
  const scene = buildScene(p, builder);

  const driftRng = new Rng(subSeed(p.seed, DRIFT_TAG), 0);
  const drift = driftTrajectory(
    p.drift,
    p.frames,
    p.frameIntervalMs,
    2 * Math.PI * driftRng.uniform(),
    2 * Math.PI * driftRng.uniform(),
  );
  const transforms = p.channels.map((c) => c.transform);
  const events = finalizeEvents(
    builder,
    p.channels.length,
    p.frames,
    (c, k, xs, ys, out) => {
      // The stage moves the sample under both cameras; the second camera then sees it through its own mapping.
      const x = xs + drift.x[k];
      const y = ys + drift.y[k];
      const t = transforms[c];
      out[0] = t.a * x + t.b * y + t.tx;
      out[1] = t.c * x + t.d * y + t.ty;
    },
    p.width * p.pixelSizeNm,
    p.height * p.pixelSizeNm,
  );

  const pattern =
    p.background.amplitude > 0
      ? backgroundPattern(
          p.width,
          p.height,
          p.pixelSizeNm,
          p.background.scaleNm,
          subSeed(p.seed, BACKGROUND_TAG),
        )
      : null;
  const backgrounds = p.channels.map((ch) => {
    if (!pattern) return ch.backgroundPhotons;
    // 256 levels over the pattern's range: indistinguishable under shot noise, and it lets the
    // camera sample each pixel through a small set of Poisson tables. The quantised map is the truth.
    const levels = 255;
    const map = new Float64Array(pattern.length);
    for (let i = 0; i < map.length; i++) {
      const q = Math.round(((pattern[i] + 1) / 2) * levels) / levels;
      map[i] = ch.backgroundPhotons * (1 + p.background.amplitude * (2 * q - 1));
    }
    return map;
  });
  const scmosMaps =
    p.camera.kind === 'scmos' ? makeScmosMaps(p.camera, p.width, p.height, subSeed(p.seed, SCMOS_TAG)) : null;
  const stack = new SimulatedStack(p, events, backgrounds, scmosMaps, scene.calcium ?? null);
  return {
    params: p,
    stack,
    truth: {
      events,
      evs: scene.evs,
      trajectories: scene.trajectories,
      structures: scene.structures,
      cell: scene.cell,
      driftX: drift.x,
      driftY: drift.y,
      channelTransforms: transforms,
      channelNames: p.channels.map((c) => c.name),
      scmosMaps,
      calcium: scene.calcium ?? null,
    },
  };
}
