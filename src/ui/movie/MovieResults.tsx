// The Movie step's results (right): binarization (Otsu pooled over N frames or a manual value,
// with a live outline preview on the movie), structure labelling with progress, the structures
// over time plot, a virtualised structure table and the exports.
import { useEffect, useMemo, useRef, useState } from 'react';
import { BinarizeSchema } from '../../core/movie/params';
import { movieFrameTimes } from '../../core/movie/window';
import { v } from '../../core/schema';
import { frame0 } from '../../core/units';
import { structuresOverTimeFigure } from '../../plots/movie';
import { Plot } from '../../plots/Plot';
import {
  analyseStructures,
  cancelAnalysis,
  cancelExport,
  chooseThreshold,
  movieStore,
  useMovie,
} from '../../state/movieStore';
import { uiStore, useUi } from '../../state/uiStore';
import { downloadBlob } from '../download';
import { NumberField, SelectField } from '../forms/fields';
import { type ExportKind, runExport } from './exports';
import { VIDEO_CONTAINERS, type VideoContainer, videoUnsupported } from './exportVideo';
import { ProgressLine } from './ProgressLine';
import './movie.css';

const B = BinarizeSchema.entries;
/** 0 is the stored "not set"; a threshold typed by hand is above it. */
const MANUAL_THRESHOLD = v.pipe(B.manualThreshold, v.gtValue(0));

function fail(title: string) {
  return (e: unknown) =>
    uiStore.getState().notify('error', title, e instanceof Error ? e.message : String(e));
}

export function MovieResults() {
  const ready = useMovie((s) => s.info?.ready ?? 0);
  const status = useMovie((s) => s.status);
  if (ready === 0) {
    return (
      <section className="section movie-results">
        <h2>Binarization & structures</h2>
        <p className="muted" style={{ margin: 0, fontSize: 12 }}>
          {status === 'building' || status === 'streaming'
            ? 'Waiting for the first complete movie frame…'
            : 'Build the movie (left) to threshold it and follow its structures over time.'}
        </p>
      </section>
    );
  }
  return (
    <div className="movie-results">
      <BinarizeSection />
      <StructuresSection />
      <ExportSection />
    </div>
  );
}

function BinarizeSection() {
  const s = useMovie((x) => x);
  const m = movieStore.getState();
  const [busy, setBusy] = useState(false);
  const threshold = s.method === 'manual' ? s.manualThreshold : s.threshold;
  return (
    <section className="section" aria-labelledby="bin-title">
      <h2 id="bin-title">Binarization</h2>
      <SelectField
        id="bin-method"
        label="Threshold"
        hint="Otsu's threshold on pixels pooled from evenly spaced frames, or a value set by hand"
        value={s.method}
        options={[
          { value: 'otsu', label: 'Otsu' },
          { value: 'manual', label: 'manual' },
        ]}
        onChange={(method) =>
          m.set({
            method,
            result: null,
            manualThreshold: method === 'manual' && s.threshold !== null ? s.threshold : s.manualThreshold,
          })
        }
      />
      {s.method === 'otsu' ? (
        <NumberField
          live
          id="bin-frames"
          label="Frames pooled"
          hint="Evenly spaced movie frames whose pixels are pooled for Otsu's threshold"
          value={s.sampleFrames}
          schema={B.sampleFrames}
          onCommit={(sampleFrames) => m.set({ sampleFrames, threshold: null, result: null })}
        />
      ) : (
        <NumberField
          live
          id="bin-value"
          label="Value (locs/px/frame)"
          hint="Pixels at or above this (after smoothing) are structure; the outline on the movie updates as you type"
          value={s.manualThreshold}
          schema={MANUAL_THRESHOLD}
          onCommit={(manualThreshold) => m.set({ manualThreshold, threshold: manualThreshold, result: null })}
        />
      )}
      <NumberField
        live
        id="bin-smooth"
        label="Smoothing σ (px)"
        hint="Gaussian smoothing before thresholding, in render pixels (0 = none)"
        value={s.smoothSigmaPx}
        schema={B.smoothSigmaPx}
        onCommit={(smoothSigmaPx) =>
          m.set({ smoothSigmaPx, threshold: s.method === 'manual' ? s.manualThreshold : null, result: null })
        }
      />
      <SelectField
        id="bin-conn"
        label="Connectivity"
        hint="26: structures connected in x, y and time (they keep one id while they last). 8: structures found in each frame separately."
        value={String(s.connectivity)}
        options={[
          { value: '26', label: '26 (x,y,t)' },
          { value: '8', label: '8 (frame)' },
        ]}
        onChange={(c) => m.set({ connectivity: Number(c) as 8 | 26, result: null })}
      />
      <div className="row" style={{ marginTop: 8 }}>
        {s.method === 'otsu' && (
          <button
            type="button"
            className="btn"
            disabled={busy || !!s.analysis}
            title="Compute Otsu's threshold and preview the outline on the movie"
            onClick={() => {
              setBusy(true);
              m.set({ preview: true, result: null });
              chooseThreshold()
                .catch(fail('Otsu threshold failed'))
                .finally(() => setBusy(false));
            }}
          >
            Preview
          </button>
        )}
        <button
          type="button"
          className="btn primary"
          disabled={busy || !!s.analysis}
          onClick={() => {
            setBusy(true);
            analyseStructures()
              .catch(fail('Labelling the structures failed'))
              .finally(() => setBusy(false));
          }}
        >
          Find structures
        </button>
        <span
          className="num"
          data-testid="movie-threshold"
          title="Structure where the (smoothed) movie value ≥ this"
        >
          {threshold !== null && Number.isFinite(threshold) ? `threshold ${threshold.toPrecision(3)}` : ''}
        </span>
      </div>
      {s.analysis && <ProgressLine p={s.analysis} unit="frames" onCancel={cancelAnalysis} />}
    </section>
  );
}

const ROW = 22;

function StructuresSection() {
  const result = useMovie((s) => s.result);
  const built = useMovie((s) => s.built);
  const selected = useMovie((s) => s.selected);
  const frame = useMovie((s) => s.frame);
  const theme = useUi((s) => s.theme);
  const [scroll, setScroll] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const times = useMemo(
    () =>
      result && built
        ? Array.from(
            { length: result.frames },
            (_, n) => movieFrameTimes(frame0(n), built, built.rawFrameIntervalS).centreS,
          )
        : [],
    [result, built],
  );
  const figure = useMemo(
    () =>
      result
        ? structuresOverTimeFigure(
            { timeS: times, count: result.perFrame.count, meanDiameterNm: result.perFrame.meanDiameterNm },
            theme,
            times[frame],
          )
        : null,
    [result, times, theme, frame],
  );
  if (!result || !built || !figure) return null;
  const st = result.structures;
  const dt = built.step * built.rawFrameIntervalS;
  const m = movieStore.getState();
  const first = Math.max(0, Math.floor(scroll / ROW) - 5);
  const last = Math.min(st.id.length, first + 20);
  const select = (i: number) => {
    m.set({ selected: st.id[i], showOutlines: true });
    m.setFrame(st.firstFrame[i]);
  };
  return (
    <section className="section" aria-labelledby="struct-title">
      <h2 id="struct-title">Structures</h2>
      <dl className="stats">
        <dt>Found</dt>
        <dd className="num" data-testid="structure-count">
          {result.count} ({result.connectivity === 26 ? 'connected in x, y, t' : 'per frame'})
        </dd>
        <dt>Threshold</dt>
        <dd className="num">{result.threshold.toPrecision(3)} locs/px/frame</dd>
      </dl>
      <Plot
        figure={figure}
        label="Structures over time"
        onClickPoint={(p) => typeof p.customdata === 'number' && m.setFrame(p.customdata)}
      />
      <div
        ref={box}
        className="structure-table"
        data-testid="structure-table"
        onScroll={(e) => setScroll(e.currentTarget.scrollTop)}
      >
        <div className="tr th">
          <span title="Structure id (label value in the label TIFF)">id</span>
          <span title="First–last movie frame (1-based)">frames</span>
          <span title="Duration, s (frames × step × raw interval)">dur s</span>
          <span title="Largest area in one frame, nm²">max nm²</span>
          <span title="Mean equivalent diameter, nm">Ø nm</span>
          <span title="Centroid over all its pixels, µm">x, y µm</span>
        </div>
        <div style={{ height: st.id.length * ROW, position: 'relative' }}>
          {Array.from({ length: Math.max(0, last - first) }, (_, k) => {
            const i = first + k;
            return (
              <button
                type="button"
                key={st.id[i]}
                className={`tr num ${selected === st.id[i] ? 'selected' : ''}`}
                style={{ position: 'absolute', top: i * ROW, left: 0, right: 0 }}
                onClick={() => select(i)}
              >
                <span>{st.id[i]}</span>
                <span>
                  {st.firstFrame[i] + 1}–{st.lastFrame[i] + 1}
                </span>
                <span>{((st.lastFrame[i] - st.firstFrame[i] + 1) * dt).toFixed(2)}</span>
                <span>{Math.round(st.maxAreaNm2[i]).toLocaleString()}</span>
                <span>{st.meanDiameterNm[i].toFixed(0)}</span>
                <span>
                  {(st.xNm[i] / 1000).toFixed(2)}, {(st.yNm[i] / 1000).toFixed(2)}
                </span>
              </button>
            );
          })}
        </div>
      </div>
      <div className="row" style={{ marginTop: 6 }}>
        <button
          type="button"
          className="btn small"
          title="Download the structure table as CSV"
          onClick={() => {
            const lines = ['id,first_frame,last_frame,duration_s,max_area_nm2,mean_diameter_nm,x_nm,y_nm'];
            for (let i = 0; i < st.id.length; i++)
              lines.push(
                [
                  st.id[i],
                  st.firstFrame[i] + 1,
                  st.lastFrame[i] + 1,
                  ((st.lastFrame[i] - st.firstFrame[i] + 1) * dt).toFixed(4),
                  st.maxAreaNm2[i].toFixed(0),
                  st.meanDiameterNm[i].toFixed(1),
                  st.xNm[i].toFixed(1),
                  st.yNm[i].toFixed(1),
                ].join(','),
              );
            downloadBlob(new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), 'structures.csv');
          }}
        >
          Table CSV
        </button>
      </div>
    </section>
  );
}

/** A video export button, disabled with the reason when this browser cannot encode the codec. */
function VideoButton({ container, onClick }: { container: VideoContainer; onClick: () => void }) {
  const exporting = useMovie((s) => s.exporting);
  const width = useMovie((s) => s.built?.grid.width ?? 0);
  const height = useMovie((s) => s.built?.grid.height ?? 0);
  const [why, setWhy] = useState<string | null>('checking the browser’s video encoder…');
  useEffect(() => {
    let live = true;
    videoUnsupported(container, Math.max(width, 2), Math.max(height, 2)).then(
      (r) => live && setWhy(r),
      (e) => live && setWhy(String(e)),
    );
    return () => {
      live = false;
    };
  }, [container, width, height]);
  const { codecName } = VIDEO_CONTAINERS[container];
  const name = container === 'webm' ? 'WebM' : 'MP4';
  return (
    <button
      type="button"
      className="btn"
      disabled={!!exporting || why !== null}
      title={
        why ??
        `${name} video (${codecName}), one video frame per movie frame at the player's speed, with time stamp and scale bar`
      }
      onClick={onClick}
    >
      {name} video
    </button>
  );
}

function ExportSection() {
  const exporting = useMovie((s) => s.exporting);
  const hasThreshold = useMovie((s) => (s.method === 'manual' ? s.manualThreshold > 0 : true));
  const run = (k: ExportKind) => () => void runExport(k).catch(() => {});
  const dtype = useMovie((s) => s.tiffDtype);
  const compression = useMovie((s) => s.tiffCompression);
  return (
    <section className="section" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <div className="row">
        <label title="Integer movies store round(K × value) with one scale K for every frame, recorded in the file (Fiji shows the values)">
          Movie pixels{' '}
          <select
            value={dtype}
            disabled={!!exporting}
            data-testid="movie-tiff-dtype"
            onChange={(e) => movieStore.getState().set({ tiffDtype: e.target.value as typeof dtype })}
          >
            <option value="float32">32-bit float</option>
            <option value="uint16">16-bit, one scale</option>
            <option value="uint8">8-bit, one scale</option>
          </select>
        </label>
        <label title="For every TIFF exported; Deflate and LZW open in Fiji, napari and evscope">
          Compression{' '}
          <select
            value={compression}
            disabled={!!exporting}
            data-testid="movie-tiff-compression"
            onChange={(e) =>
              movieStore.getState().set({ tiffCompression: e.target.value as typeof compression })
            }
          >
            <option value="none">none</option>
            <option value="deflate">Deflate</option>
            <option value="lzw">LZW</option>
          </select>
        </label>
      </div>
      <div className="row">
        <button
          type="button"
          className="btn"
          disabled={!!exporting}
          title="Multi-page TIFF (pixels as chosen above) with pixel size and frame interval (S × raw interval)"
          onClick={run('tiff')}
        >
          Movie TIFF
        </button>
        <button
          type="button"
          className="btn"
          disabled={!!exporting || !hasThreshold}
          title="Binary movie, 8-bit (1 = structure)"
          onClick={run('mask')}
        >
          Binary TIFF
        </button>
        <button
          type="button"
          className="btn"
          disabled={!!exporting || !hasThreshold}
          title="Label movie, 16-bit (32-bit beyond 65535 structures); 0 = background"
          onClick={run('labels')}
        >
          Labels TIFF
        </button>
        <VideoButton container="webm" onClick={run('webm')} />
        <VideoButton container="mp4" onClick={run('mp4')} />
      </div>
      {exporting && <ProgressLine p={exporting} unit="frames" onCancel={cancelExport} />}
    </section>
  );
}
