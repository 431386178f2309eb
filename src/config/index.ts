export * from './env.js';
export * from './policy.js';
