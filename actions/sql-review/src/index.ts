/** Entry of the sql-review action: the runner starts this file. */
import { run } from './main.ts';

await run();
