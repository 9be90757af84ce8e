/** Entry of the run-query action: the runner starts this file. */
import { run } from './main.ts';

await run();
