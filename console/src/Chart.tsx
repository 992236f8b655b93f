// One ECharts chart, tree-shaken: echarts/core with only the bar and line charts, the grid,
// tooltip and legend components, and the SVG renderer (crisp at any zoom, prints as vectors,
// and its output is DOM the tests can read).
import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

export function Chart(props: { option: ChartOption; className: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, true);
  }, [props.option]);

  return <div ref={ref} className={`chart ${props.className}`} style={{ height: props.height ?? 220 }} />;
}
