// What a session carries of Post-process: the steps (the processed table is recomputed on open).
import { PostStepsSchema } from '../core/locs/pipeline';
import type { Json } from '../core/session/index';
import { type PostState, postStore } from './postStore';
import { registerSessionPart } from './sessionPart';

registerSessionPart({
  key: 'post',
  schema: PostStepsSchema,
  defaults: () => [],
  capture(ctx) {
    const steps = ctx.read<PostState>('post', postStore).steps;
    return steps.length ? (JSON.parse(JSON.stringify(steps)) as Json) : undefined;
  },
  restore: (steps) => postStore.setState({ steps: steps ?? [], past: [], future: [] }),
});
