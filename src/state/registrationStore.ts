// Two-colour registration per stack: for every channel c ≥ 1, the affine mapping channel-c
// camera coordinates (nm) onto channel 0's, with where it came from (a bead stack, this stack's
// frames, typed, identity) and how good it is (residual RMS, leave-one-out error, pairs,
// outliers). Plain numbers only, so sessions save it as is. Consumers:
//  - the UI and the main thread: `channelToReference(stackId, c)` / `referenceToChannel(…)`;
//  - workers get the six numbers: `registrationAffines(stackId, channels)` (index = channel,
//    channel c → channel 0), never the store.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import {
  type Affine6,
  affine6Problem,
  affinePointFn,
  IDENTITY6,
  invertAffine6,
  isIdentity6,
} from '../core/registration/affine6';
import type {
  ChannelRegistrationSchema,
  RegistrationBeadsSchema,
  RegistrationSourceSchema,
  RegistrationStatsSchema,
} from '../core/registration/schema';
import type { v } from '../core/schema';
import {
  type ChannelFit,
  type ChannelFitError,
  type RegistrationBackend,
  type RegistrationFitRequest,
  registrationService,
} from '../engine/registrationService';
import { isCancelled } from '../engine/workerErrors';

export type RegistrationSource = v.InferOutput<typeof RegistrationSourceSchema>;
export type RegistrationStats = v.InferOutput<typeof RegistrationStatsSchema>;
/** Per-bead positions (nm) for the residual plot and the overlay (moving ones in channel c's own coordinates). */
export type RegistrationBeads = v.InferOutput<typeof RegistrationBeadsSchema>;
export type ChannelRegistration = v.InferOutput<typeof ChannelRegistrationSchema>;

export type FitStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface FitProgress {
  done: number;
  total: number;
  elapsed: number;
  /** Frames per second and seconds left. */
  rate: number;
  etaSeconds: number;
}

export interface RegistrationFitState {
  stackId: number | null;
  status: FitStatus;
  progress: FitProgress | null;
  error: string | null;
  /** Channels the last fit could not register, with the reason. */
  channelErrors: ChannelFitError[];
}

/** What a session saves. */
export interface RegistrationSnapshot {
  byStack: Record<number, Record<number, ChannelRegistration>>;
}

/** Leave-one-out error above which the registration is flagged, nm. */
export const LOO_WARNING_NM = 20;

export interface RegistrationState extends RegistrationSnapshot {
  fit: RegistrationFitState;
  /** Registered bead positions over the raw frames. */
  showOverlay: boolean;
  setChannel(stackId: number, reg: ChannelRegistration): void;
  /** A typed affine (or translation); refuses a singular or implausible one with the reason. */
  setAffine(stackId: number, channel: number, affine: readonly number[]): void;
  useIdentity(stackId: number, channels: number): void;
  forget(stackId: number): void;
  runFit(
    stackId: number,
    req: RegistrationFitRequest,
    source: RegistrationSource,
  ): Promise<ChannelRegistration[] | null>;
  cancelFit(): void;
  setShowOverlay(show: boolean): void;
  restore(s: RegistrationSnapshot): void;
}

const IDLE_FIT: RegistrationFitState = {
  stackId: null,
  status: 'idle',
  progress: null,
  error: null,
  channelErrors: [],
};

function now(): string {
  return new Date().toISOString();
}

function fromFit(f: ChannelFit, source: RegistrationSource): ChannelRegistration {
  const arr = (a: ArrayLike<number>) => Array.from(a);
  return {
    channel: f.channel,
    toReference: [...f.toReference] as Affine6,
    source,
    stats: {
      rmsX: f.rmsX,
      rmsY: f.rmsY,
      rms: f.rms,
      looRmsX: f.looRmsX,
      looRmsY: f.looRmsY,
      looRms: f.looRms,
      pairs: f.pairs,
      outliers: f.outliers,
      pairedLocalizations: f.pairedLocalizations,
      localizations: [...f.localizations],
    },
    beads: {
      refX: arr(f.beads.refX),
      refY: arr(f.beads.refY),
      movX: arr(f.beads.movX),
      movY: arr(f.beads.movY),
      residualX: arr(f.beads.residualX),
      residualY: arr(f.beads.residualY),
      outlierRefX: arr(f.outlierBeads.refX),
      outlierRefY: arr(f.outlierBeads.refY),
      outlierMovX: arr(f.outlierBeads.movX),
      outlierMovY: arr(f.outlierBeads.movY),
      firstFrame: arr(f.beads.firstFrame),
      frames: arr(f.beads.frames),
    },
    at: now(),
  };
}

export function createRegistrationStore(backend: () => RegistrationBackend = registrationService) {
  let abort: AbortController | null = null;
  return createStore<RegistrationState>()((set, get) => ({
    byStack: {},
    fit: IDLE_FIT,
    showOverlay: false,
    setChannel(stackId, reg) {
      if (!(Number.isInteger(reg.channel) && reg.channel >= 1))
        throw new Error(
          `Channel ${reg.channel + 1} is the reference or does not exist: register channels 2 and up.`,
        );
      set((s) => ({ byStack: { ...s.byStack, [stackId]: { ...s.byStack[stackId], [reg.channel]: reg } } }));
    },
    setAffine(stackId, channel, affine) {
      const problem = affine6Problem(affine);
      if (problem) throw new Error(`Channel ${channel + 1}: ${problem}.`);
      get().setChannel(stackId, {
        channel,
        toReference: [...affine] as Affine6,
        source: isIdentity6(affine) ? { kind: 'identity' } : { kind: 'typed' },
        stats: null,
        beads: null,
        at: now(),
      });
    },
    useIdentity(stackId, channels) {
      const regs: Record<number, ChannelRegistration> = {};
      for (let c = 1; c < channels; c++)
        regs[c] = {
          channel: c,
          toReference: [...IDENTITY6],
          source: { kind: 'identity' },
          stats: null,
          beads: null,
          at: now(),
        };
      set((s) => ({ byStack: { ...s.byStack, [stackId]: regs } }));
    },
    forget(stackId) {
      set((s) => {
        if (!(stackId in s.byStack)) return s;
        const byStack = { ...s.byStack };
        delete byStack[stackId];
        return { byStack };
      });
    },
    async runFit(stackId, req, source) {
      abort?.abort();
      const ctl = new AbortController();
      abort = ctl;
      set({ fit: { ...IDLE_FIT, stackId, status: 'running' } });
      try {
        const result = await backend().fit(
          req,
          (p) => {
            if (ctl.signal.aborted) return;
            const rate = p.elapsed > 0 ? p.done / p.elapsed : 0;
            set((s) => ({
              fit: {
                ...s.fit,
                progress: { ...p, rate, etaSeconds: rate > 0 ? (p.total - p.done) / rate : Number.NaN },
              },
            }));
          },
          ctl.signal,
        );
        if (abort !== ctl) return null;
        // A cancel that arrives after the worker finished but before the result is applied still
        // wins: the user asked to keep the old registration.
        if (ctl.signal.aborted) {
          set((s) => ({ fit: { ...s.fit, status: 'cancelled', progress: null } }));
          return null;
        }
        const fits = result.channels.filter((c): c is ChannelFit => !('error' in c));
        const errors = result.channels.filter((c): c is ChannelFitError => 'error' in c);
        const regs = fits.map((f) => fromFit(f, source));
        // Channels that failed keep what they had: a failed refit must not wipe a good registration.
        set((s) => {
          const mine = { ...s.byStack[stackId] };
          for (const r of regs) mine[r.channel] = r;
          return {
            byStack: { ...s.byStack, [stackId]: mine },
            fit: {
              stackId,
              status: fits.length ? 'done' : 'failed',
              progress: null,
              error: fits.length
                ? null
                : errors.map((e) => `Channel ${e.channel + 1}: ${e.error}`).join('\n'),
              channelErrors: errors,
            },
          };
        });
        return regs;
      } catch (e) {
        if (abort !== ctl) return null;
        if (isCancelled(e) || ctl.signal.aborted)
          set((s) => ({ fit: { ...s.fit, status: 'cancelled', progress: null } }));
        else
          set((s) => ({
            fit: {
              ...s.fit,
              status: 'failed',
              progress: null,
              error: e instanceof Error ? e.message : String(e),
            },
          }));
        return null;
      } finally {
        if (abort === ctl) abort = null;
      }
    },
    cancelFit() {
      abort?.abort();
    },
    setShowOverlay(showOverlay) {
      set({ showOverlay });
    },
    restore(snap) {
      set({ byStack: structuredClone(snap.byStack), fit: IDLE_FIT });
    },
  }));
}

export const registrationStore = createRegistrationStore();

export const useRegistration = <T>(sel: (s: RegistrationState) => T): T => useStore(registrationStore, sel);

/** Plain data for a session. */
export function registrationSnapshot(
  s: RegistrationSnapshot = registrationStore.getState(),
): RegistrationSnapshot {
  return { byStack: structuredClone(s.byStack) };
}

// ---- Pure helpers over the snapshot (default: the app's store). ----

/** The registration of one channel, or null (channel 0 and unregistered channels). */
export function channelRegistration(
  stackId: number,
  channel: number,
  s: RegistrationSnapshot = registrationStore.getState(),
): ChannelRegistration | null {
  return channel >= 1 ? (s.byStack[stackId]?.[channel] ?? null) : null;
}

/** Channel c → channel 0 as six numbers; identity for channel 0 and channels not registered. */
export function toReferenceAffine(
  stackId: number,
  channel: number,
  s: RegistrationSnapshot = registrationStore.getState(),
): Affine6 {
  return [...(channelRegistration(stackId, channel, s)?.toReference ?? IDENTITY6)] as Affine6;
}

/** Maps channel-c camera nm onto channel 0's. */
export function channelToReference(
  stackId: number,
  channel: number,
  s: RegistrationSnapshot = registrationStore.getState(),
): (x: number, y: number) => [number, number] {
  return affinePointFn(toReferenceAffine(stackId, channel, s));
}

/** Maps channel-0 camera nm into channel c's (the inverse). */
export function referenceToChannel(
  stackId: number,
  channel: number,
  s: RegistrationSnapshot = registrationStore.getState(),
): (x: number, y: number) => [number, number] {
  const t = toReferenceAffine(stackId, channel, s);
  return affinePointFn(isIdentity6(t) ? t : invertAffine6(t));
}

/** What a worker receives: channel c → channel 0 per channel (index = channel, [0] identity). */
export function registrationAffines(
  stackId: number,
  channels: number,
  s: RegistrationSnapshot = registrationStore.getState(),
): Affine6[] {
  return Array.from({ length: channels }, (_, c) => toReferenceAffine(stackId, c, s));
}

/** Whether any channel of the stack has a registration other than identity. */
export function hasRegistration(
  stackId: number,
  s: RegistrationSnapshot = registrationStore.getState(),
): boolean {
  return Object.values(s.byStack[stackId] ?? {}).some((r) => !isIdentity6(r.toReference));
}

/** One line saying where a channel's registration came from. */
export function describeSource(src: RegistrationSource): string {
  switch (src.kind) {
    case 'identity':
      return 'identity (channels assumed aligned)';
    case 'typed':
      return 'typed by hand';
    case 'frames':
      return `from frames ${src.frames.start + 1}–${src.frames.start + src.frames.count} of ${src.stackName}`;
    case 'beads':
      return `from beads: ${src.stackName}, frames ${src.frames.start + 1}–${src.frames.start + src.frames.count}`;
  }
}

/** Names the registration a result used, e.g. for a results table: "ch2: from beads: …". */
export function registrationLabel(
  stackId: number,
  s: RegistrationSnapshot = registrationStore.getState(),
): string {
  const regs = Object.values(s.byStack[stackId] ?? {}).filter((r) => !isIdentity6(r.toReference));
  if (regs.length === 0) return 'none (channels taken as aligned)';
  return regs.map((r) => `ch${r.channel + 1} ${describeSource(r.source)}`).join('; ');
}

/** A key that changes whenever the stack's registration changes (results made with another are stale). */
export function registrationKey(
  stackId: number | null,
  s: RegistrationSnapshot = registrationStore.getState(),
): string {
  if (stackId === null) return '';
  const regs = Object.values(s.byStack[stackId] ?? {})
    .filter((r) => !isIdentity6(r.toReference))
    .map((r) => [r.channel, r.toReference]);
  return regs.length ? JSON.stringify(regs) : '';
}
