import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Module, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.js';
import { notFound } from '../http/problem.js';

/** apps/web/dist: the same three levels up from apps/api/src/dashboard (tests) and apps/api/dist/dashboard (npm start). */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Paths that belong to the API: an unknown one there is a 404 problem, never the dashboard's page. */
const API_PREFIXES = ['/v1', '/docs', '/health', '/metrics'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page may load scripts, styles and data from this origin only: no inline scripts, no eval, no framing.
 * ECharts draws on a canvas and the dashboard sets styles through the DOM, so no inline style sheets are needed either.
 */
export const DASHBOARD_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dashboard not built</title></head>
<body>
<h1>The dashboard is not built yet</h1>
<p>The API is running: <a href="/docs">API documentation</a>, <a href="/health">health</a>.</p>
<p>Build the dashboard with <code>npx nx run web:build</code> (or start with <code>npm start</code>, which builds everything) and reload this page.</p>
</body></html>`;

async function fileIn(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + decoded);
  if (!file.startsWith(root + path.sep)) return null;
  try {
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Serves the built dashboard (apps/web/dist) at `/`, with index.html for any other page path it routes itself. */
@Controller()
export class DashboardController {
  private readonly root = WEB_DIST;

  @Public()
  @Get()
  async index(@Res() reply: FastifyReply) {
    return this.page(reply);
  }

  @Public()
  @Get('*')
  async any(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const urlPath = request.url.split('?')[0];
    if (API_PREFIXES.some((p) => urlPath === p || urlPath.startsWith(p + '/'))) throw notFound(`Cannot GET ${urlPath}`);
    const file = await fileIn(this.root, urlPath);
    if (file && path.basename(file) !== 'index.html') {
      const hashed = urlPath.startsWith('/assets/');
      return reply
        .headers(DASHBOARD_SECURITY_HEADERS)
        .header('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream')
        .header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(await readFile(file));
    }
    // A file name that is not there is a 404; any other path is a page of the dashboard.
    if (path.extname(urlPath)) throw notFound(`No file ${urlPath} in the dashboard.`);
    return this.page(reply);
  }

  private async page(reply: FastifyReply) {
    let html: Buffer | string;
    try {
      html = await readFile(path.join(this.root, 'index.html'));
    } catch {
      html = NOT_BUILT;
    }
    return reply.headers(DASHBOARD_SECURITY_HEADERS).header('content-type', TYPES['.html']).header('cache-control', 'no-cache').send(html);
  }
}

@Module({ controllers: [DashboardController] })
export class DashboardModule {}
