import { useEffect, useRef } from 'react';
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, CanvasRenderer]);

export const CHART_FONT = 'system-ui, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif';

/** Colours chosen for contrast on white and to stay apart for colour-blind readers (blue / orange / grey). */
export const COLORS = { allowed: '#c4cdd6', taken: '#1f5fa8', late: '#c2410c', open: '#6b8fc4', onTime: '#1f5fa8', breaches: '#c2410c', now: '#111827' };

/**
 * An ECharts canvas. The chart is a picture for sighted readers: `label` describes it to everyone else, and
 * each view shows the same figures in a table. Tooltips are drawn on the canvas (richText), so no inline
 * styles are needed under the page's Content-Security-Policy.
 */
export function Chart({ option, label, height = 320, testId }: { option: EChartsCoreOption; label: string; height?: number; testId?: string }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ textStyle: { fontFamily: CHART_FONT }, animation: false, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={element} className="chart" role="img" aria-label={label} style={{ height }} data-testid={testId} />;
}
