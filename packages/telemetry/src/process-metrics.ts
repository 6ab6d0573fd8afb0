import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Meter } from "@opentelemetry/api";

/**
 * Memory and event-loop delay of this process: the two figures that show a service about to
 * fail its liveness probe before it does. The delay histogram is read and reset at each
 * collection, so each reading covers the interval since the previous scrape.
 */
export function observeProcess(meter: Meter): void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  meter
    .createObservableGauge("process_resident_memory_bytes", {
      description: "Resident memory size in bytes",
      unit: "By",
    })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));
  meter
    .createObservableGauge("nodejs_heap_used_bytes", { description: "V8 heap in use", unit: "By" })
    .addCallback((result) => result.observe(process.memoryUsage().heapUsed));
  const p99 = meter.createObservableGauge("nodejs_eventloop_delay_p99_seconds", {
    description: "99th percentile of the event loop's delay since the previous collection",
    unit: "s",
  });
  const max = meter.createObservableGauge("nodejs_eventloop_delay_max_seconds", {
    description: "Longest event loop delay since the previous collection",
    unit: "s",
  });
  meter.addBatchObservableCallback(
    (result) => {
      // The histogram holds nanoseconds; with no sample yet it reports 0 and a huge min.
      result.observe(p99, delay.count > 0 ? delay.percentile(99) / 1e9 : 0);
      result.observe(max, delay.count > 0 ? delay.max / 1e9 : 0);
      delay.reset();
    },
    [p99, max],
  );
}
