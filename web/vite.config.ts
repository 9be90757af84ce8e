import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/**
 * Everything the entry needs before the first page shows, in one chunk: one file compresses better than two and
 * saves the names one chunk imports from another (docs/console.md, P8).
 */
const SHELL = /\/web\/src\/(App|client|session|me|ui)\.tsx?$|\/web\/src\/graphql\/session\.documents\.ts$|\/node_modules\/(solid-js|@solidjs|@solid-primitives|@urql|wonka|@0no-co)\/|vite\/preload-helper/;

// `npm run dev -w @accessflow/web` proxies the API of a server started with `npm start` (port 8080).
export default defineConfig({
  plugins: [solid()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    // Every browser the console supports preloads modules natively.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'shell', test: SHELL }] } },
      // The slow-plugin report is noise in `npm start`'s output on a busy machine.
      checks: { pluginTimings: false },
    },
  },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } } },
});
