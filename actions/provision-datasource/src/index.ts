/** Entry of the provision-datasource action: the runner starts this file. */
import { run } from './main.ts';

await run();
