import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProjectionCheckpoint } from '@sped/read-models';
import { Public } from '../auth/auth.js';
import { RUNTIME, type Runtime } from '../runtime.js';

interface Check {
  ok: boolean;
  detail?: string;
  [k: string]: unknown;
}

async function timed<T>(what: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([what, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
export class HealthController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Public()
  @Get('health')
  async health(@Res() reply: FastifyReply) {
    const { eventStore, readModels, projector, storage } = this.runtime;
    const checks: Record<string, Check> = {};
    let head = '0';
    try {
      const h = await timed(eventStore.health(), 3000);
      head = h.head;
      checks.eventStore = { ok: h.ok, adapter: h.adapter, head: h.head, ...(h.detail ? { detail: h.detail } : {}) };
    } catch (error) {
      checks.eventStore = { ok: false, detail: (error as Error).message };
    }
    try {
      await timed(readModels.query('SELECT 1'), 3000);
      checks.readModels = { ok: true };
    } catch (error) {
      checks.readModels = { ok: false, detail: (error as Error).message };
    }
    // The projector may run in this process or in its own: then its checkpoints tell where it is.
    const statuses = projector
      ? projector.status()
      : await timed(readModels.getRepository(ProjectionCheckpoint).find(), 3000)
          .then((rows) => rows.map((r) => ({ name: r.name, state: r.status, position: r.position, ...(r.error ? { error: r.error } : {}) })))
          .catch(() => null);
    if (statuses) {
      const projections = statuses.map((p) => ({
        ...p,
        lag: checks.eventStore.ok ? Math.max(0, Number(BigInt(head) - BigInt(p.position))) : null,
      }));
      const failed = projections.filter((p) => p.state === 'failed');
      checks.projector = {
        ok: failed.length === 0,
        inProcess: !!projector,
        lag: Math.max(0, ...projections.map((p) => p.lag ?? 0)),
        projections,
        ...(failed.length ? { detail: `stopped: ${failed.map((p) => p.name).join(', ')}` } : {}),
      };
    }
    const ok = Object.values(checks).every((c) => c.ok);
    reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'degraded', mode: storage.mode, storage: storage.describe, uptimeSeconds: Math.round((Date.now() - this.runtime.startedAt.getTime()) / 1000), checks });
  }
}
