// Shared layout defaults so every figure matches the workbench's dark/light theme.
import type { Layout } from 'plotly.js';

export type ThemeName = 'dark' | 'light';

const PALETTE = {
  dark: { bg: '#1a1f26', grid: '#2c333d', text: '#d7dce3' },
  light: { bg: '#ffffff', grid: '#e3e6ea', text: '#1d2329' },
} as const;

/** The theme's background, grid and text colours (for figures drawn without plotly). */
export function themeColors(theme: ThemeName): { bg: string; grid: string; text: string } {
  return PALETTE[theme];
}

/** Categorical colours (channels, subtypes, cells): distinguishable on dark and light, colour-blind friendly first. */
export const CATEGORY_COLOURS = [
  '#4e9cf5',
  '#f0a43a',
  '#5fd08a',
  '#e76fb4',
  '#b58cf2',
  '#48c9c9',
  '#ff7b72',
  '#c9c948',
] as const;

/** Neutral grey for the "none of the categories" class (marker-negative EVs). */
export const NEUTRAL_COLOUR = '#9aa5b4';

export function baseLayout(theme: ThemeName, overrides: Partial<Layout> = {}): Partial<Layout> {
  const p = PALETTE[theme];
  return {
    paper_bgcolor: p.bg,
    plot_bgcolor: p.bg,
    font: { color: p.text, size: 11, family: 'system-ui, sans-serif' },
    margin: { l: 48, r: 12, t: 28, b: 40 },
    showlegend: false,
    autosize: true,
    ...overrides,
    // Axes are merged, not replaced, so a figure's axis titles keep the theme's grid colours.
    xaxis: { gridcolor: p.grid, zerolinecolor: p.grid, ...overrides.xaxis },
    yaxis: { gridcolor: p.grid, zerolinecolor: p.grid, ...overrides.yaxis },
  };
}
