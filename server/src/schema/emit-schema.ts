import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTollgateSchema, printTollgateSchema } from './build-schema.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema.graphql');
await writeFile(target, printTollgateSchema(await buildTollgateSchema()));
console.log(`wrote ${target}`);
