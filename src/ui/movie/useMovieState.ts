// The Movie step's state label in the pipeline list.
import { useMovie } from '../../state/movieStore';

export function useMovieState(): string {
  const status = useMovie((s) => s.status);
  const ready = useMovie((s) => s.info?.ready ?? 0);
  const expected = useMovie((s) => s.info?.expected ?? 0);
  const structures = useMovie((s) => s.result?.count);
  switch (status) {
    case 'building':
      return 'building…';
    case 'streaming':
      return `${ready}/${expected} frames`;
    case 'ready':
      return structures === undefined ? `${ready} frames` : `${structures} structures`;
    case 'stale':
      return 'stale';
    case 'failed':
      return 'failed';
    default:
      return 'not run';
  }
}
