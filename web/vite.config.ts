import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// `npm run dev -w @accessflow/web` proxies the API of a server started with `npm start` (port 8080).
export default defineConfig({
  plugins: [solid()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    // The slow-plugin report is noise in `npm start`'s output on a busy machine.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } } },
});
