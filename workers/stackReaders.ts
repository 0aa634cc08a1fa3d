// The one place the stack worker gets its readers from.
export { blobByteSource } from '../src/core/stack/byteSource';
export { openChannels, openStack, splitDualView } from '../src/core/stack/open';
