// Export actions shared by the results panel and the scripting API: TIFF (movie, binary, labels)
// from the movie worker, WebM/MP4 video frame by frame through WebCodecs; all as downloads.
import { activeStack, dataStore } from '../../state/dataStore';
import { exportTiff, movieStore, setExportProgress } from '../../state/movieStore';
import { uiStore } from '../../state/uiStore';
import { downloadBlob } from '../download';
import { movieFileName } from './download';
import { exportVideo, VIDEO_CONTAINERS } from './exportVideo';

export type ExportKind = 'tiff' | 'mask' | 'labels' | 'webm' | 'mp4';

const isVideo = (k: ExportKind): k is 'webm' | 'mp4' => k === 'webm' || k === 'mp4';

function suffix(kind: ExportKind): string {
  const s = movieStore.getState();
  const b = s.built!;
  const base = `movie-W${b.window}-S${b.step}-${b.grid.pixelNm}nm`;
  return kind === 'tiff' || isVideo(kind) ? base : `${base}-${kind}`;
}

/** Runs one export and downloads it; resolves with the byte length (0 when cancelled). */
export async function runExport(kind: ExportKind): Promise<number> {
  const s = movieStore.getState();
  if (!s.built || !s.info?.ready) throw new Error('build the movie first');
  if (s.exporting) throw new Error('another export is running');
  const name = activeStack(dataStore.getState())?.info.name ?? 'movie';
  try {
    let blob: Blob | null;
    if (isVideo(kind)) {
      const ctl = new AbortController();
      const startedAt = performance.now();
      const label = `Encoding ${VIDEO_CONTAINERS[kind].codecName} ${kind.toUpperCase()}`;
      setExportProgress({ label, done: 0, total: s.info.ready, startedAt }, () => ctl.abort());
      try {
        blob = await exportVideo(
          s,
          kind,
          (done, total) => setExportProgress({ label, done, total, startedAt }, () => ctl.abort()),
          ctl.signal,
        );
      } catch (e) {
        if (e instanceof Error && e.name === 'AbortError') blob = null;
        else throw e;
      } finally {
        setExportProgress(null);
      }
    } else {
      blob = await exportTiff(kind === 'tiff' ? 'movie' : kind);
    }
    if (!blob) return 0;
    downloadBlob(blob, movieFileName(name, suffix(kind), isVideo(kind) ? kind : 'tif'));
    return blob.size;
  } catch (e) {
    uiStore
      .getState()
      .notify(
        'error',
        `Exporting the movie of ${name} failed`,
        e instanceof Error ? e.message : String(e),
        'Check the build and the binarization settings, then try again.',
      );
    throw e;
  }
}
