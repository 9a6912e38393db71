export * from './bus-publisher.js';
export * from './bus-subscriber.js';
export * from './sharded-bus-subscriber.js';
export * from './create-bus-subscriber.js';
export * from './bus-routing-key.js';
export type { WantsRoom } from './decode-envelope.js';
