// window.evscope, assembled in one place: the core calls (src/scripting/api.ts) and each
// feature's functions (src/ui/<feature>/scripting.ts, registered when this module loads); main.tsx
// installs the result. A new feature adds its scripting module to this list; panels import none.
import './localize/scripting';
import './post/scripting';
import './movie/scripting';
import './tracks/scripting';
import './calcium/scripting';
import './experiment/scripting';
import './markers/scripting';
import './registration/scripting';
import './session/scripting';
import './sim/scripting';

export { installScripting } from '../scripting/api';
