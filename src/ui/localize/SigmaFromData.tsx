// "σ from data": measures the PSF σ on the first frames of the chosen range (free-σ fits of
// isolated spots in the preview worker, robust median) and puts it in the PSF σ field, saying
// how many spots it came from and how much they spread.
import { useState } from 'react';
import { localizeService, SIGMA_FRAMES, type SigmaEstimate } from '../../engine/localizeService';
import type { LoadedStack } from '../../state/dataStore';
import { planRequest } from '../../state/localizeActions';
import { localizeParamsStore, planRun } from '../../state/localizeParamsStore';

type State =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; est: SigmaEstimate }
  | { kind: 'error'; message: string };

export function SigmaFromData({ st, disabled }: { st: LoadedStack; disabled: boolean }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const measure = async () => {
    const planned = planRun(localizeParamsStore.getState().settings, st);
    if (!planned.ok) {
      setState({ kind: 'error', message: planned.errors[0] });
      return;
    }
    const { plan } = planned;
    setState({ kind: 'running' });
    try {
      const est = await localizeService.estimateSigma(planRequest(plan, st.info));
      localizeParamsStore.getState().set({ sigmaNm: Math.round(est.sigmaNm * 10) / 10 });
      setState({ kind: 'done', est });
    } catch (e) {
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div className="row sigma-from-data">
      <button
        type="button"
        className="btn small"
        data-testid="sigma-from-data"
        disabled={disabled || state.kind === 'running'}
        title={`Fit σ freely on isolated spots of the first frames of the range (up to ${SIGMA_FRAMES} frames, 400 spots) and use their median as the fixed PSF σ`}
        onClick={measure}
      >
        {state.kind === 'running' ? 'Measuring σ…' : 'σ from data'}
      </button>
      {state.kind === 'done' && (
        <span className="muted small-text" data-testid="sigma-from-data-result">
          σ {state.est.sigmaNm.toFixed(1)} nm from {state.est.spots} spots in {state.est.frames} frame
          {state.est.frames === 1 ? '' : 's'} (spread {state.est.spreadNm.toFixed(1)} nm)
        </span>
      )}
      {state.kind === 'error' && (
        <span className="warn small-text" role="alert">
          {state.message}
        </span>
      )}
    </div>
  );
}
