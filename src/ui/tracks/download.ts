// Kept for the calcium and experiment panels' imports; the helper is src/ui/download.ts.
export { downloadText } from '../download';
