import type { EventSink } from './sink';

/** Counters of the receiver in Prometheus' text format (GET /metrics). */
export class ReceiverMetrics {
  events = 0;
  detections = 0;
  private readonly answers = new Map<number, number>();
  private writeSeconds = 0;
  private writes = 0;

  answered(status: number): void {
    this.answers.set(status, (this.answers.get(status) ?? 0) + 1);
  }

  observeWrite(seconds: number): void {
    this.writeSeconds += seconds;
    this.writes++;
  }

  render(inFlight: number, sinks: readonly EventSink[]): string {
    const lines = [
      '# HELP k8s_audit_receiver_batches_total Webhook batches answered, by HTTP status.',
      '# TYPE k8s_audit_receiver_batches_total counter',
      ...[...this.answers].sort((a, b) => a[0] - b[0]).map(([status, count]) => `k8s_audit_receiver_batches_total{code="${status}"} ${count}`),
      '# HELP k8s_audit_receiver_events_total Audit events stored by every sink.',
      '# TYPE k8s_audit_receiver_events_total counter',
      `k8s_audit_receiver_events_total ${this.events}`,
      '# HELP k8s_audit_receiver_detections_total Detector hits on arriving events.',
      '# TYPE k8s_audit_receiver_detections_total counter',
      `k8s_audit_receiver_detections_total ${this.detections}`,
      '# HELP k8s_audit_receiver_store_seconds Time from a batch arriving to every sink having stored it.',
      '# TYPE k8s_audit_receiver_store_seconds summary',
      `k8s_audit_receiver_store_seconds_sum ${this.writeSeconds}`,
      `k8s_audit_receiver_store_seconds_count ${this.writes}`,
      '# HELP k8s_audit_receiver_in_flight Batches being read or stored.',
      '# TYPE k8s_audit_receiver_in_flight gauge',
      `k8s_audit_receiver_in_flight ${inFlight}`,
      '# HELP k8s_audit_receiver_sink_backlog_events Events waiting for a sink.',
      '# TYPE k8s_audit_receiver_sink_backlog_events gauge',
      ...sinks.map((sink) => `k8s_audit_receiver_sink_backlog_events{sink=${JSON.stringify(sink.name)}} ${sink.backlog}`),
      '# HELP process_resident_memory_bytes Resident memory of the receiver.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
