import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProjectionCheckpoint } from '@sped/read-models';
import { Public } from '../auth/auth.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { escape } from './metrics.js';

/**
 * Prometheus metrics: event store head, each projection's position, lag and state (a stopped projection
 * shows as sped_projection_failed 1), and HTTP request counts and latencies.
 */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Public()
  @Get()
  async metrics(@Res() reply: FastifyReply) {
    const { eventStore, projector, readModels, httpMetrics } = this.runtime;
    const lines: string[] = [];
    let head: bigint | null = null;
    try {
      head = BigInt(await eventStore.headPosition());
      lines.push('# HELP sped_event_store_up 1 when the event store answers', '# TYPE sped_event_store_up gauge', 'sped_event_store_up 1');
      lines.push('# HELP sped_event_store_head_position Highest global position a reader may see', '# TYPE sped_event_store_head_position gauge', `sped_event_store_head_position ${head}`);
    } catch {
      lines.push('# TYPE sped_event_store_up gauge', 'sped_event_store_up 0');
    }
    const statuses = projector
      ? projector.status()
      : await readModels
          .getRepository(ProjectionCheckpoint)
          .find()
          .then((rows) => rows.map((r) => ({ name: r.name, state: r.status, position: r.position })))
          .catch(() => []);
    lines.push('# HELP sped_projection_position Global position the projection has applied', '# TYPE sped_projection_position gauge');
    for (const p of statuses) lines.push(`sped_projection_position{projection="${escape(p.name)}"} ${p.position}`);
    lines.push('# HELP sped_projection_lag_positions Positions between the head and the projection', '# TYPE sped_projection_lag_positions gauge');
    for (const p of statuses) if (head !== null) lines.push(`sped_projection_lag_positions{projection="${escape(p.name)}"} ${head > BigInt(p.position) ? head - BigInt(p.position) : 0n}`);
    lines.push('# HELP sped_projection_failed 1 when the projection stopped at an event it could not apply', '# TYPE sped_projection_failed gauge');
    for (const p of statuses) lines.push(`sped_projection_failed{projection="${escape(p.name)}"} ${p.state === 'failed' ? 1 : 0}`);
    const caches = Object.entries(this.runtime.commandCache).map(([aggregate, cache]) => [aggregate, cache.snapshotStats()] as const);
    lines.push('# HELP sped_command_cache_streams Streams whose folded state the command pipeline keeps', '# TYPE sped_command_cache_streams gauge');
    for (const [aggregate, s] of caches) lines.push(`sped_command_cache_streams{aggregate="${aggregate}"} ${s.streams}`);
    lines.push('# HELP sped_command_cache_total Commands by how the stream state was had: hit (kept, no read), miss (whole stream read), catch_up (newer events read)', '# TYPE sped_command_cache_total counter');
    for (const [aggregate, s] of caches) {
      lines.push(`sped_command_cache_total{aggregate="${aggregate}",outcome="hit"} ${s.hits}`, `sped_command_cache_total{aggregate="${aggregate}",outcome="miss"} ${s.misses}`, `sped_command_cache_total{aggregate="${aggregate}",outcome="catch_up"} ${s.catchUps}`);
    }
    const history = this.runtime.historyCache.snapshotStats();
    lines.push('# HELP sped_history_cache_events Events of replayed streams the history endpoints keep', '# TYPE sped_history_cache_events gauge', `sped_history_cache_events ${history.events}`);
    lines.push('# HELP sped_history_cache_reads_total Stream reads of the history endpoints: hit (newer events only), miss (whole stream)', '# TYPE sped_history_cache_reads_total counter');
    lines.push(`sped_history_cache_reads_total{outcome="hit"} ${history.hits}`, `sped_history_cache_reads_total{outcome="miss"} ${history.misses}`);
    lines.push(...httpMetrics.render());
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').header('cache-control', 'no-store').send(lines.join('\n') + '\n');
  }
}
