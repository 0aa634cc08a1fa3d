// Saves a Blob or text through the browser's download prompt (every export of the panels).
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

/** Text (CSV by default) or bytes as a file. */
export function downloadText(fileName: string, data: string | Uint8Array, type = 'text/csv'): void {
  downloadBlob(new Blob([data as BlobPart], { type }), fileName);
}
