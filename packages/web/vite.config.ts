import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves the build at /dashboard/ (packages/server/src/features/dashboard).
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One bundle per page keeps the first load small; CodeMirror and Chart.js load with their pages.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `vite` in this folder proxies the API to a service running on the default port.
    proxy: { '/v1': 'http://127.0.0.1:8000' },
  },
});
