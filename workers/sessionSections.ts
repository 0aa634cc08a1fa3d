// Step sections checked by their own schema wherever a session is saved or opened — the session
// worker (autosave, files) and the main thread alike: the experiment document as an
// EXPERIMENT.json is checked, and the browser's record of its batch (summaries: a few dozen
// numbers per input, so more nodes than the generic 50,000 for large experiments).
import { experimentSectionSchema } from '../src/core/experiment/model';
import { registerStepSchema } from '../src/core/session/index';
import { plainJson } from '../src/core/session/schema';

registerStepSchema('experiment', experimentSectionSchema);
registerStepSchema('experimentRuns', plainJson({ maxNodes: 2_000_000 }));
