// What the centre viewer can show. Raw frames are always there; features add their images
// (reconstruction, movie) here so they share one place, one toolbar row and one tab order.
import type { ComponentType } from 'react';
import type { CentreViewId } from '../../state/uiStore';
import { MovieView } from '../movie/MovieView';
import { FrameBar } from '../viewer/FrameBar';
import { ViewerCanvas } from '../viewer/ViewerCanvas';
import { ViewerToolbar } from '../viewer/ViewerToolbar';

export interface CentreViewDef {
  id: CentreViewId;
  name: string;
  Component: ComponentType;
}

function RawView() {
  return (
    <>
      <ViewerToolbar />
      <ViewerCanvas />
      <FrameBar />
    </>
  );
}

export const CENTRE_VIEWS: CentreViewDef[] = [
  { id: 'raw', name: 'Raw frames', Component: RawView },
  { id: 'movie', name: 'Movie', Component: MovieView },
];
