// What the centre viewer can show. Raw frames are always there; features add their images
// (reconstruction, movie) here so they share one place, one toolbar row and one tab order.
import type { ComponentType } from 'react';
import type { CentreViewId } from '../../state/uiStore';
import { CalciumView } from '../calcium/CalciumView';
import { ExperimentView } from '../experiment/ExperimentView';
import { EvOverlay } from '../markers/EvOverlay';
import { MarkersView } from '../markers/MarkersView';
import { MovieView } from '../movie/MovieView';
import { ReconView } from '../recon/ReconView';
import { TracksView } from '../tracks/TracksView';
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
      <div className="mk-raw">
        <ViewerCanvas />
        <EvOverlay />
      </div>
      <FrameBar />
    </>
  );
}

export const CENTRE_VIEWS: CentreViewDef[] = [
  { id: 'raw', name: 'Raw frames', Component: RawView },
  { id: 'reconstruction', name: 'Reconstruction', Component: ReconView },
  { id: 'tracks', name: 'Tracks & distances', Component: TracksView },
  { id: 'markers', name: 'EV markers', Component: MarkersView },
  { id: 'movie', name: 'Movie', Component: MovieView },
  { id: 'calcium', name: 'Ca²⁺ cells', Component: CalciumView },
  { id: 'experiment', name: 'Experiment', Component: ExperimentView },
];
