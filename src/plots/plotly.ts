// A custom plotly bundle with only the traces evscope draws: ≈ 1.8 MB instead of 4.9 MB, and
// it has both scattergl (millions of points) and scatterternary (marker composition), which no
// official partial bundle combines.

import bar from 'plotly.js/lib/bar';
import box from 'plotly.js/lib/box';
import Plotly from 'plotly.js/lib/core';
import heatmap from 'plotly.js/lib/heatmap';
import histogram from 'plotly.js/lib/histogram';
import scattergl from 'plotly.js/lib/scattergl';
import scatterternary from 'plotly.js/lib/scatterternary';
import violin from 'plotly.js/lib/violin';

Plotly.register([bar, box, heatmap, histogram, scattergl, scatterternary, violin]);

export default Plotly;
