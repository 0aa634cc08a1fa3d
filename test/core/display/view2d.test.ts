// The zoom/pan maths the raw viewer, the reconstruction and the movie player share.
import { describe, expect, test } from 'vitest';
import {
  FIT_MARGIN,
  fitView,
  IMAGE_ZOOM,
  PAN_KEEP_PX,
  panView,
  screenToImage,
  wheelZoomFactor,
  zoomAbout,
} from '../../../src/core/display/view2d';

const viewport = { w: 800, h: 600 };
const image = { w: 256, h: 128 };

describe('zoom about the cursor', () => {
  test.each([
    [2.5, 300, 200],
    [0.4, 10, 590],
    [1.7, -50, 900],
  ])('×%f about (%f, %f) keeps the image point under it in place', (factor, ax, ay) => {
    const v = { zoom: 3, panX: 40, panY: -25 };
    const before = screenToImage(v, ax, ay);
    const after = zoomAbout(v, factor, ax, ay, IMAGE_ZOOM);
    expect(after.zoom).toBeCloseTo(3 * factor, 12);
    const p = screenToImage(after, ax, ay);
    expect(p.x).toBeCloseTo(before.x, 9);
    expect(p.y).toBeCloseTo(before.y, 9);
  });

  test('zoom stops at its bounds, and the point under the cursor still stays put', () => {
    const v = { zoom: 50, panX: 0, panY: 0 };
    const after = zoomAbout(v, 4, 100, 100, IMAGE_ZOOM);
    expect(after.zoom).toBe(IMAGE_ZOOM.max);
    expect(screenToImage(after, 100, 100)).toEqual({ x: 2, y: 2 });
    expect(zoomAbout(v, 1e-9, 0, 0, IMAGE_ZOOM).zoom).toBe(IMAGE_ZOOM.min);
  });

  test('a wheel notch up zooms in, down zooms out by the inverse', () => {
    expect(wheelZoomFactor(-100)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1, 12);
    expect(wheelZoomFactor(0)).toBe(1);
  });
});

describe('fit', () => {
  test('the image fills the window less the margin on its tighter axis, centred', () => {
    const f = fitView(viewport, image, IMAGE_ZOOM);
    expect(f.zoom).toBeCloseTo((800 - 2 * FIT_MARGIN) / 256, 12);
    expect(f.panX).toBeCloseTo(FIT_MARGIN, 9);
    expect(f.panY + (image.h * f.zoom) / 2).toBeCloseTo(300, 9);
    expect(fitView(viewport, { w: 0, h: 0 }, IMAGE_ZOOM)).toEqual({ zoom: 1, panX: 0, panY: 0 });
  });
});

describe('pan clamps', () => {
  const v = { zoom: 2, panX: 100, panY: 100 }; // the image spans 512 × 256 screen px

  test('a pan inside the limits moves by exactly the drag', () => {
    expect(panView(v, 30, -40, viewport, image)).toEqual({ zoom: 2, panX: 130, panY: 60 });
  });

  test('dragged far right or down, the image keeps its left/top edge strip in the window', () => {
    const p = panView(v, 5000, 5000, viewport, image);
    expect(p.panX).toBe(viewport.w - PAN_KEEP_PX);
    expect(p.panY).toBe(viewport.h - PAN_KEEP_PX);
  });

  test('dragged far left or up, its right/bottom edge strip stays in the window', () => {
    const p = panView(v, -5000, -5000, viewport, image);
    expect(p.panX + image.w * v.zoom).toBe(PAN_KEEP_PX);
    expect(p.panY + image.h * v.zoom).toBe(PAN_KEEP_PX);
  });

  test('an image smaller on screen than the strip stays wholly inside', () => {
    const tiny = { zoom: 1 / 32, panX: 0, panY: 0 }; // 8 × 4 screen px
    const p = panView(tiny, 5000, -5000, viewport, image);
    expect(p.panX).toBe(viewport.w - 8);
    expect(p.panY).toBe(0);
  });

  test('before layout (a zero window) nothing is clamped', () => {
    expect(panView(v, 5000, 0, { w: 0, h: 0 }, image).panX).toBe(5100);
  });
});
