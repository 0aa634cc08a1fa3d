// Saves a Blob through the browser's download prompt.
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "demo.tif" → "demo_movie-W1002-S6-10nm.tif". */
export function movieFileName(stackName: string, suffix: string, ext: string): string {
  const base = stackName.replace(/\.(ome\.)?tiff?$/i, '').replace(/[^\w.-]+/g, '_') || 'movie';
  return `${base}_${suffix}.${ext}`;
}
