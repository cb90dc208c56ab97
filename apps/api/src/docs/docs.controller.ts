import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.js';
import { notFound } from '../http/problem.js';
import { buildOpenApi } from './openapi.js';

const require = createRequire(import.meta.url);
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API documentation</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs/json', dom_id: '#ui', persistAuthorization: true });</script>
</body></html>`;

@Controller('docs')
export class DocsController {
  private readonly assetsDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

  @Public()
  @Get()
  page(@Res() reply: FastifyReply) {
    reply.header('content-type', 'text/html; charset=utf-8').send(PAGE);
  }

  @Public()
  @Get('json')
  json() {
    return buildOpenApi();
  }

  @Public()
  @Get('assets/:file')
  async asset(@Param('file') file: string, @Res() reply: FastifyReply) {
    const type = ASSETS[file];
    if (!type) throw notFound(`No documentation asset ${file}`);
    reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(await readFile(path.join(this.assetsDir, file)));
  }
}
