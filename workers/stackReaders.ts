// The one place the stack worker gets its readers from. MERGE SWAP: when branch `stack` lands,
// replace the next line with
//   export { openStack, openChannels, splitDualView } from '../src/core/stack/open';
//   export { blobByteSource } from '../src/core/stack/byteSource';
// and delete workers/interimStackReaders.ts (and its test).
export { blobByteSource, openChannels, openStack, splitDualView } from './interimStackReaders';
