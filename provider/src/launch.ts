/** The packaged provider's entry (launch.cjs beside provider.cjs): the bundle, run from its code cache. */
import { join } from 'node:path';
import { cacheDirectory, runWithCodeCache } from './launch/code-cache.ts';

runWithCodeCache(join(__dirname, 'provider.cjs'), cacheDirectory());
