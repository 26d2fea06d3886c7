// Entry of the bundled Action (dist/action.js); everything else is in run.ts.
import { run } from './run.js';

await run();
