package dev.webinfra.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A run as JSON: totals, failures by cause, latency, writes, per-server rows and the timeline. */
public final class JsonReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** The run as a JSON object, for callers (chaos) that add fields of their own. */
  public static ObjectNode tree(LoadResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("run_id", r.runId());
    o.put("url", r.url());
    o.put("started_at", r.startedAt().toString());
    o.put("duration_s", r.options().duration().toMillis() / 1000.0);
    o.put("rate", r.options().rate());
    o.put("write_percent", r.options().writePercent());
    o.put("connections", r.options().connections());
    o.put("complete", r.complete());
    o.put("requests", r.requests());
    o.put("ok", r.ok());
    o.put("failed", r.failed());
    ObjectNode f = o.putObject("failures");
    r.failures().forEach(f::put);
    ArrayNode why = o.putArray("failure_reasons");
    r.reasons().forEach((k, v) -> why.addObject().put("reason", k).put("count", v));
    o.put("retries_allowed", r.options().retries());
    o.put("retried", r.retried());
    ArrayNode again = o.putArray("retry_reasons");
    r.retries().forEach((k, v) -> again.addObject().put("reason", k).put("count", v));
    ObjectNode l = o.putObject("latency_ms");
    l.put("p50", r.latency().p50Ms());
    l.put("p90", r.latency().p90Ms());
    l.put("p99", r.latency().p99Ms());
    l.put("max", r.latency().maxMs());
    o.set("writes", writes(r.writes()));
    ArrayNode t = o.putArray("timeline");
    for (Second s : r.timeline()) {
      ObjectNode e = t.addObject();
      e.put("second", s.second());
      e.put("requests", s.requests());
      e.put("ok", s.ok());
      e.put("failed", s.failed());
      ObjectNode sf = e.putObject("failures");
      s.failures().forEach(sf::put);
      e.put("p99_ms", s.p99Ms());
    }
    return o;
  }

  /** The run as indented JSON text. */
  public static String render(LoadResult r) {
    try {
      return JSON.writeValueAsString(tree(r)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("load: cannot write JSON", e);
    }
  }

  /** The set checker's verdict as JSON. */
  public static ObjectNode writes(WriteReport w) {
    ObjectNode o = JSON.createObjectNode();
    o.put("attempted", w.attempted());
    o.put("acknowledged", w.acknowledged());
    o.put("present", w.present());
    o.put("lost", w.lost());
    o.put("unexpected", w.unexpected());
    o.put("indeterminate", w.indeterminate());
    o.put("indeterminate_found", w.indeterminateFound());
    o.put("failed", w.failed());
    o.put("failed_found", w.failedFound());
    o.put("duplicated", w.duplicated());
    w.lostIds().forEach(o.putArray("lost_ids")::add);
    w.unexpectedIds().forEach(o.putArray("unexpected_ids")::add);
    w.duplicatedIds().forEach(o.putArray("duplicated_ids")::add);
    ArrayNode servers = o.putArray("servers");
    for (WriteReport.Server s : w.servers()) {
      ObjectNode e = servers.addObject();
      e.put("host", s.host());
      e.put("readable", s.readable());
      if (s.readable()) {
        e.put("rows", s.rows());
        e.put("missing_acknowledged", s.missingAcknowledged());
      } else {
        e.put("error", s.error());
      }
    }
    return o;
  }
}
