// What a session carries of the Tracks & distances step: parameters, tracks, distances and how
// the plots were shown (sessionResults packs and unpacks the results).
import { registerSessionPart } from './sessionPart';
import { captureTracks, DEFAULT_TRACKS_SECTION, restoreTracks, TracksSectionSchema } from './sessionResults';
import { type TracksState, tracksStore } from './tracksStore';

registerSessionPart({
  key: 'tracks',
  schema: TracksSectionSchema,
  defaults: () => DEFAULT_TRACKS_SECTION,
  capture(ctx) {
    const tracks = captureTracks(new Map(ctx.stackIds), ctx.read<TracksState>('tracks', tracksStore));
    if (!tracks) return undefined;
    for (const t of tracks.tables) ctx.addTable(t);
    return tracks.section;
  },
  restore(tk, ctx) {
    try {
      restoreTracks(tk, ctx.tables, tk?.stack ? (ctx.live.get(tk.stack)?.id ?? null) : null);
    } catch (e) {
      tracksStore.getState().clear();
      ctx.warn(`the tracks and distances could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
});
