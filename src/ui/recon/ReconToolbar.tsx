// Reconstruction settings and exports: render mode, σ, render pixel, colour map or colour by a
// column, contrast, scale bar, PNG / float TIFF export.
import { useState } from 'react';
import type { ColormapName } from '../../core/render/colormap';
import { ReconSettingsSchema, ReconViewSchema, SigmaSettingSchema } from '../../core/render/reconstruct';
import { usePost } from '../../state/postStore';
import { MIN_PIXEL_NM, reconStore, renderPixelNm, useRecon } from '../../state/reconStore';
import { ZoomControls } from '../canvas/ZoomControls';
import { checkNumberText, type NumberSchema } from '../forms/fieldCheck';
import { exportReconstruction } from '../post/postRuntime';

const S = ReconSettingsSchema.entries;
const [{ entries: PRECISION }, { entries: FIXED }] = SigmaSettingSchema.options;
const MANUAL = S.contrast.options[1].entries;

const MAPS: ColormapName[] = ['hot', 'inferno', 'viridis', 'gray', 'hue'];

/** A compact number input for the toolbar; refuses invalid values with the reason on hover. */
function Num(p: {
  label: string;
  value: number;
  schema: NumberSchema<number>;
  hint: string;
  width?: number;
  onCommit(v: number): void;
  testId?: string;
}) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? String(Number(p.value.toPrecision(4)));
  const checked = checkNumberText(p.schema, shown);
  const error = checked.ok ? null : checked.reason;
  const commit = () => {
    if (checked.ok && text !== null) p.onCommit(checked.value);
    setText(null);
  };
  return (
    <label className="recon-num" title={error ? `${p.label}: ${error}` : p.hint}>
      <span>{p.label}</span>
      <input
        type="text"
        inputMode="decimal"
        value={shown}
        style={{ width: p.width ?? 58 }}
        aria-invalid={error ? 'true' : undefined}
        aria-label={p.label}
        data-testid={p.testId}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

export function ReconToolbar() {
  const s = useRecon((x) => x.settings);
  const pixelNm = useRecon((x) => x.pixelNm);
  const nmPerPx = useRecon((x) => x.nmPerPx);
  const viewPixelNm = useRecon(renderPixelNm);
  const bar = useRecon((x) => x.scaleBar);
  const image = useRecon((x) => x.image);
  const columns = usePost((x) => x.summary?.columns) ?? [];
  const [exporting, setExporting] = useState<string | null>(null);
  const r = reconStore.getState();
  const set = r.setSettings;
  const noPrecision =
    s.mode === 'gaussian' &&
    s.sigma.kind === 'precision' &&
    columns.length > 0 &&
    !columns.includes('precision');
  const doExport = async (f: 'png' | 'tiff') => {
    setExporting(f);
    try {
      await exportReconstruction(f, true);
    } catch {
      // exportReconstruction already posted a notice naming the reason.
    } finally {
      setExporting(null);
    }
  };
  return (
    <div className="viewer-toolbar recon-toolbar" role="toolbar" aria-label="Reconstruction">
      <ZoomControls
        scale={`${nmPerPx >= 10 ? nmPerPx.toFixed(0) : nmPerPx.toFixed(1)} nm/px`}
        scaleTitle="Screen scale (nm per screen pixel)"
        scaleClass="num recon-scale"
        zoomAt={(f) => r.zoomAt(f)}
        fit={() => r.setFit(true)}
        fitTitle="Show the whole field"
      />
      <span className="sep" />
      <select
        aria-label="Render mode"
        title="Histogram: each localization adds 1 to its pixel. Gaussian: a normalised blob of width σ"
        value={s.mode}
        onChange={(e) => set({ mode: e.currentTarget.value as 'gaussian' })}
      >
        <option value="gaussian">Gaussian</option>
        <option value="histogram">Histogram</option>
      </select>
      {s.mode === 'gaussian' && (
        <>
          <select
            aria-label="Gaussian width"
            title="σ from each localization's precision times a factor, or one fixed σ"
            value={s.sigma.kind}
            onChange={(e) =>
              set({
                sigma:
                  e.currentTarget.value === 'fixed'
                    ? { kind: 'fixed', nm: 10 }
                    : { kind: 'precision', factor: 1, minNm: 0 },
              })
            }
          >
            <option value="precision">σ = precision ×</option>
            <option value="fixed">σ fixed (nm)</option>
          </select>
          {s.sigma.kind === 'precision' ? (
            <Num
              label=""
              value={s.sigma.factor}
              schema={PRECISION.factor}
              width={48}
              hint="Multiplies each localization's precision (uncertainty, nm)"
              onCommit={(v) => set({ sigma: { kind: 'precision', factor: v, minNm: 0 } })}
            />
          ) : (
            <Num
              label=""
              value={s.sigma.nm}
              schema={FIXED.nm}
              width={48}
              hint="Gaussian σ for every localization (nm)"
              onCommit={(v) => set({ sigma: { kind: 'fixed', nm: v } })}
            />
          )}
        </>
      )}
      <Num
        label="px (nm)"
        value={viewPixelNm}
        schema={ReconViewSchema.entries.pixelNm}
        hint={`Render pixel on screen: follows the zoom (one screen pixel, never below ${MIN_PIXEL_NM} nm); type a value to zoom to it`}
        onCommit={(v) => r.setViewPixelNm(v)}
        testId="recon-pixel"
      />
      <span className="sep" />
      <select
        aria-label="Colour"
        title="Colour map of density, or colour each localization by a column (e.g. frame shows drift and reblinking)"
        value={s.colorBy ? `col:${s.colorBy}` : `map:${s.colormap}`}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (v.startsWith('col:')) set({ colorBy: v.slice(4) });
          else set({ colorBy: null, colormap: v.slice(4) as ColormapName });
        }}
      >
        <optgroup label="Colour map">
          {MAPS.map((m) => (
            <option key={m} value={`map:${m}`}>
              {m}
            </option>
          ))}
        </optgroup>
        <optgroup label="Colour by column">
          {columns
            .filter((c) => c !== 'x' && c !== 'y')
            .map((c) => (
              <option key={c} value={`col:${c}`}>
                by {c}
              </option>
            ))}
        </optgroup>
      </select>
      <select
        aria-label="Contrast"
        title="Auto saturates the brightest 0.5% of pixels; manual fixes the density shown as white"
        value={s.contrast.kind}
        onChange={(e) =>
          set({
            contrast:
              e.currentTarget.value === 'manual'
                ? { kind: 'manual', maxPerUm2: Math.round(image?.maxPerUm2 ?? 1000) }
                : { kind: 'auto', highPct: 99.5 },
          })
        }
      >
        <option value="auto">auto contrast</option>
        <option value="manual">manual</option>
      </select>
      {s.contrast.kind === 'manual' && (
        <Num
          label="max (/µm²)"
          value={s.contrast.maxPerUm2}
          schema={MANUAL.maxPerUm2}
          width={70}
          hint="Density (localizations per µm²) shown at the top of the colour map; the same at every zoom"
          onCommit={(v) => set({ contrast: { kind: 'manual', maxPerUm2: v } })}
        />
      )}
      <Num
        label="γ"
        value={s.gamma}
        schema={S.gamma}
        width={44}
        hint="Display gamma: below 1 lifts faint structures"
        onCommit={(v) => set({ gamma: v })}
      />
      <label title="Scale bar on screen and burned into PNG exports">
        <input type="checkbox" checked={bar} onChange={(e) => r.setScaleBar(e.currentTarget.checked)} /> bar
      </label>
      <span className="spacer" />
      <Num
        label="export px (nm)"
        value={pixelNm}
        schema={ReconViewSchema.entries.pixelNm}
        hint="Render pixel of the PNG / TIFF exports of the whole field"
        onCommit={(v) => r.setPixelNm(v)}
        testId="recon-export-pixel"
      />
      <button
        type="button"
        className="btn"
        disabled={!image || exporting !== null}
        title={`The whole field at ${pixelNm} nm/px, colours as shown, scale bar burned in`}
        onClick={() => void doExport('png')}
      >
        {exporting === 'png' ? 'Exporting…' : 'PNG'}
      </button>
      <button
        type="button"
        className="btn"
        disabled={!image || exporting !== null}
        title={`32-bit float TIFF of the intensities (localizations per pixel) at ${pixelNm} nm/px, pixel size in the metadata`}
        onClick={() => void doExport('tiff')}
      >
        {exporting === 'tiff' ? 'Exporting…' : 'TIFF'}
      </button>
      {noPrecision && <span className="post-note">no precision column: histogram shown</span>}
    </div>
  );
}
