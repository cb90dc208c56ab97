import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the API at / under a strict Content-Security-Policy: no inline scripts, so nothing is inlined.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
