// Public surface of the Ca²⁺-response analysis.
export * from './analyse';
export * from './labels';
export * from './params';
export * from './response';
export * from './roi';
export * from './segment';
export * from './table';
export * from './traces';
