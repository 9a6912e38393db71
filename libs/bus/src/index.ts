export * from './bus-publisher.js';
export * from './bus-subscriber.js';
