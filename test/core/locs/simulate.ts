// Test data: localizations of random "structures" (clusters and filaments) with a known precision,
// known molecule identities and an optional known drift. The real simulator lives elsewhere;
// these tests only need ground truth for post-processing.
import { type LocTable, locTableFromColumns } from '../../../src/core/locs/table';
import { Rng } from '../../../src/core/random';

export interface StructureSim {
  seed: number;
  fovNm: number;
  molecules: number;
  frames: number;
  /** Mean localizations per molecule (Poisson, at least 1). */
  locsPerMolecule: number;
  precisionNm: number;
  /** 'scattered': frames uniform over the acquisition; 'bursts': consecutive frames with gaps. */
  timing?: 'scattered' | 'bursts';
  /** Probability of a dark frame inside a burst (timing 'bursts'). */
  gapProbability?: number;
  /** 'structures' (clusters + filaments, default) or 'uniform'. */
  layout?: 'structures' | 'uniform';
  drift?: (frame: number) => [number, number];
  /** Extra columns: photons (~1000) always; precision column written unless false. */
  writePrecision?: boolean;
}

export interface SimResult {
  table: LocTable;
  molecule: Int32Array;
  trueX: Float64Array;
  trueY: Float64Array;
}

export function simulateStructures(p: StructureSim): SimResult {
  const r = new Rng(p.seed);
  const mx = new Float64Array(p.molecules);
  const my = new Float64Array(p.molecules);
  const margin = 300;
  const span = p.fovNm - 2 * margin;
  if ((p.layout ?? 'structures') === 'uniform') {
    for (let m = 0; m < p.molecules; m++) {
      mx[m] = margin + r.uniform() * span;
      my[m] = margin + r.uniform() * span;
    }
  } else {
    let m = 0;
    while (m < p.molecules) {
      if (r.uniform() < 0.5) {
        // A vesicle-like cluster: 10–40 molecules within ~40 nm.
        const cx = margin + r.uniform() * span;
        const cy = margin + r.uniform() * span;
        const k = 10 + Math.floor(r.uniform() * 30);
        for (let i = 0; i < k && m < p.molecules; i++, m++) {
          mx[m] = cx + 40 * r.normal();
          my[m] = cy + 40 * r.normal();
        }
      } else {
        // A filament: 20–60 molecules along a 1–2.5 µm straight segment.
        const cx = margin + r.uniform() * span;
        const cy = margin + r.uniform() * span;
        const a = r.uniform() * Math.PI;
        const len = 1000 + r.uniform() * 1500;
        const k = 20 + Math.floor(r.uniform() * 40);
        for (let i = 0; i < k && m < p.molecules; i++, m++) {
          const t = (r.uniform() - 0.5) * len;
          mx[m] = Math.min(p.fovNm - margin, Math.max(margin, cx + t * Math.cos(a) + 5 * r.normal()));
          my[m] = Math.min(p.fovNm - margin, Math.max(margin, cy + t * Math.sin(a) + 5 * r.normal()));
        }
      }
    }
  }
  const frames: number[] = [];
  const mol: number[] = [];
  for (let m = 0; m < p.molecules; m++) {
    const k = Math.max(1, r.poisson(p.locsPerMolecule));
    if ((p.timing ?? 'scattered') === 'scattered') {
      for (let i = 0; i < k; i++) {
        frames.push(Math.floor(r.uniform() * p.frames));
        mol.push(m);
      }
    } else {
      // One burst of k on-frames starting at a random frame, with occasional dark frames inside.
      let f = Math.floor(r.uniform() * Math.max(1, p.frames - 3 * k));
      for (let i = 0; i < k && f < p.frames; i++) {
        frames.push(f);
        mol.push(m);
        f++;
        while (r.uniform() < (p.gapProbability ?? 0)) f++;
      }
    }
  }
  const n = frames.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const frame = new Uint32Array(n);
  const molecule = new Int32Array(n);
  const trueX = new Float64Array(n);
  const trueY = new Float64Array(n);
  const photons = new Float32Array(n);
  const precision = new Float32Array(n).fill(p.precisionNm);
  for (let i = 0; i < n; i++) {
    const m = mol[i];
    const [dx, dy] = p.drift ? p.drift(frames[i]) : [0, 0];
    frame[i] = frames[i];
    molecule[i] = m;
    trueX[i] = mx[m];
    trueY[i] = my[m];
    x[i] = mx[m] + dx + p.precisionNm * r.normal();
    y[i] = my[m] + dy + p.precisionNm * r.normal();
    photons[i] = 1000 * (0.5 + r.uniform());
  }
  const columns = { frame, x, y, photons, ...(p.writePrecision === false ? {} : { precision }) };
  return { table: locTableFromColumns(columns), molecule, trueX, trueY };
}

/**
 * Localizations of a sample with no persistent structure: every molecule is seen once, scattered
 * under a smooth Gaussian envelope (σ spreadNm) (no edges either: a box's edges alone pin the drift).
 */
export function structureless(
  n: number,
  frames: number,
  drift: (f: number) => [number, number],
  spreadNm = 1000,
): LocTable {
  const r = new Rng(7);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = Math.floor(r.uniform() * frames);
    const [dx, dy] = drift(f);
    frame[i] = f;
    x[i] = 8000 + spreadNm * r.normal() + dx;
    y[i] = 8000 + spreadNm * r.normal() + dy;
  }
  return locTableFromColumns({ frame, x, y });
}
