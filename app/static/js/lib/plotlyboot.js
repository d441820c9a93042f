// Starts plotly.js as soon as the page can: the env and window pages load this module
// `async` (base.html), so it runs once it and lib/plotly.js are fetched, while the page's
// other modules are still on their way, and plotly.js' basic bundle (preloaded) compiles
// in that wait instead of after it. The page's modules share lib/plotly.js with it (one
// module instance per URL): the bundle is loaded once.
import { plotlyFor } from './plotly.js';

plotlyFor().catch(() => {}); // a failure is shown by each plot that needs it
