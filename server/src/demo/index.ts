/** The demo data seeded into an empty database. Other domains import from here, never from the files. */
export { type DemoCredentials, seedDemoIfEmpty } from './seed-demo.js';
export { DemoSeed } from './demo-seed.entity.js';
