/** "demo.tif" → "demo_movie-W1002-S6-10nm.tif". */
export function movieFileName(stackName: string, suffix: string, ext: string): string {
  const base = stackName.replace(/\.(ome\.)?tiff?$/i, '').replace(/[^\w.-]+/g, '_') || 'movie';
  return `${base}_${suffix}.${ext}`;
}
