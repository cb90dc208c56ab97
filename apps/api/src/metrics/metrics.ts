/** Request counters and latency histograms, kept in process and exposed in the Prometheus text format. */
const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

interface Series {
  count: number;
  sumMs: number;
  buckets: number[];
}

export class HttpMetrics {
  private readonly series = new Map<string, Series>();

  observe(method: string, route: string, status: number, ms: number) {
    const key = `${method}\u0000${route}\u0000${status}`;
    let s = this.series.get(key);
    if (!s) {
      s = { count: 0, sumMs: 0, buckets: BUCKETS_MS.map(() => 0) };
      this.series.set(key, s);
    }
    s.count++;
    s.sumMs += ms;
    BUCKETS_MS.forEach((b, i) => {
      if (ms <= b) s.buckets[i]++;
    });
  }

  render(): string[] {
    const lines = ['# HELP sped_http_requests_total HTTP requests by route and status', '# TYPE sped_http_requests_total counter'];
    const hist = ['# HELP sped_http_request_duration_ms HTTP request duration', '# TYPE sped_http_request_duration_ms histogram'];
    for (const [key, s] of this.series) {
      const [method, route, status] = key.split('\u0000');
      const labels = `method="${method}",route="${escape(route)}",status="${status}"`;
      lines.push(`sped_http_requests_total{${labels}} ${s.count}`);
      BUCKETS_MS.forEach((b, i) => hist.push(`sped_http_request_duration_ms_bucket{${labels},le="${b}"} ${s.buckets[i]}`));
      hist.push(`sped_http_request_duration_ms_bucket{${labels},le="+Inf"} ${s.count}`);
      hist.push(`sped_http_request_duration_ms_sum{${labels}} ${s.sumMs.toFixed(3)}`);
      hist.push(`sped_http_request_duration_ms_count{${labels}} ${s.count}`);
    }
    return [...lines, ...hist];
  }
}

export const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
