// plotly.js ships types for its full bundle only; the per-trace modules used by our custom
// bundle (src/plots/plotly.ts) are untyped CommonJS.
declare module 'plotly.js/lib/core' {
  import type * as Plotly from 'plotly.js';

  const core: typeof Plotly & { register(modules: unknown[]): void };
  export default core;
}
declare module 'plotly.js/lib/*' {
  const traceModule: unknown;
  export default traceModule;
}
