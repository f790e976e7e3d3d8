package dev.webinfra.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webinfra.load.HtmlReport;
import dev.webinfra.load.JsonReport;
import dev.webinfra.load.LoadResult;
import dev.webinfra.load.TextReport;
import java.util.ArrayList;
import java.util.List;

/** A chaos run as a text table, as JSON (the load's fields plus {@code faults}), and as HTML. */
public final class ChaosReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ChaosReport() {}

  /** The table of faults, then the load's own summary. */
  public static String text(ChaosResult r) {
    StringBuilder b = new StringBuilder();
    b.append("chaos ").append(r.scenario().source()).append("\n\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("fault", "kind", "at s", "recovered after s", "failed", "lost writes"));
    for (FaultResult f : r.faults()) {
      rows.add(
          List.of(
              f.name(),
              f.injection().spec().kind().label(),
              String.format("%.1f", f.injection().atS()),
              recovered(f),
              Long.toString(f.failedRequests()),
              Long.toString(f.lostWrites())));
    }
    int[] w = new int[rows.get(0).size()];
    rows.forEach(
        row -> {
          for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(w[i], row.get(i).length());
          }
        });
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < w.length; i++) {
        String c = row.get(i);
        line.append(
            i == 0 ? String.format("%-" + w[i] + "s", c) : String.format("  %" + w[i] + "s", c));
      }
      b.append(line.toString().stripTrailing()).append("\n");
    }
    for (FaultResult f : r.faults()) {
      b.append("\n").append(f.name()).append(": ").append(summary(f.injection())).append("\n");
      f.happened().forEach(h -> b.append("  ").append(h).append("\n"));
    }
    b.append("\n").append(doubleHolding(r)).append("\n");
    r.vipEpisodes().forEach(e -> b.append("  ").append(e).append("\n"));
    if (!r.leftovers().isEmpty()) {
      b.append("\nundone first, left by an earlier run: ")
          .append(String.join(", ", r.leftovers()))
          .append("\n");
    }
    b.append("\n").append(TextReport.render(r.load()));
    return b.toString();
  }

  /** One line: how long two load balancers held the floating IP at once. */
  static String doubleHolding(ChaosResult r) {
    return String.format(
        "floating IP held by two load balancers at once: %.2f s in all (looked every 50 ms)",
        r.vipDoubleHolding().toMillis() / 1000.0);
  }

  private static String recovered(FaultResult f) {
    if (f.injection().error() != null) {
      return "not injected";
    }
    return f.recoveredAfterS() == null
        ? "not in window"
        : String.format("%.1f", f.recoveredAfterS());
  }

  private static String summary(Injection i) {
    String s = i.error() != null ? "injection failed: " + i.error() : i.done();
    if (!Double.isNaN(i.undoneS())) {
      s += String.format("; undone at %.1f s", i.undoneS());
    }
    if (!i.undoErrors().isEmpty()) {
      s += "; undo failed: " + String.join("; ", i.undoErrors());
    }
    return s;
  }

  /** The load's JSON with {@code scenario} and {@code faults} added. */
  public static ObjectNode tree(ChaosResult r) {
    ObjectNode o = JsonReport.tree(r.load());
    o.put("scenario", r.scenario().source());
    o.put("preset", r.scenario().preset());
    ArrayNode faults = JSON.createArrayNode();
    for (FaultResult f : r.faults()) {
      ObjectNode e = faults.addObject();
      Injection i = f.injection();
      e.put("name", f.name());
      e.put("kind", i.spec().kind().label());
      e.put("at", i.atS());
      e.put("scheduled_at", i.spec().at().toMillis() / 1000.0);
      if (Double.isNaN(i.undoneS())) {
        e.putNull("undone_at");
      } else {
        e.put("undone_at", i.undoneS());
      }
      if (f.recoveredAfterS() == null) {
        e.putNull("recovered_after_s");
      } else {
        e.put("recovered_after_s", f.recoveredAfterS());
      }
      e.put("failed_requests", f.failedRequests());
      e.put("lost_writes", f.lostWrites());
      e.put("window_from_s", f.windowFromS());
      e.put("window_to_s", f.windowToS());
      e.put("done", i.done());
      if (i.error() != null) {
        e.put("error", i.error());
      }
      i.undoErrors().forEach(e.withArray("undo_errors")::add);
      f.happened().forEach(e.withArray("happened")::add);
    }
    o.set("faults", faults);
    o.put("vip_double_holding_s", r.vipDoubleHolding().toMillis() / 1000.0);
    r.vipEpisodes().forEach(o.withArray("vip_double_holding")::add);
    r.leftovers().forEach(o.withArray("leftovers_undone")::add);
    return o;
  }

  /** The JSON as indented text. */
  public static String json(ChaosResult r) {
    try {
      return JSON.writeValueAsString(tree(r)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("chaos: cannot write JSON", e);
    }
  }

  /** The HTML report: each fault a shaded region over the timeline, and a table per fault. */
  public static String html(ChaosResult r) {
    LoadResult l = r.load();
    List<HtmlReport.Region> regions = new ArrayList<>();
    List<HtmlReport.Table> tables = new ArrayList<>();
    for (FaultResult f : r.faults()) {
      Injection i = f.injection();
      double to = Double.isNaN(i.undoneS()) ? f.windowToS() : i.undoneS();
      regions.add(new HtmlReport.Region(f.name(), i.atS(), Math.max(i.atS() + 0.5, to)));
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("kind", i.spec().kind().label()));
      rows.add(List.of("injected at s", String.format("%.1f", i.atS())));
      rows.add(
          List.of(
              "undone at s", Double.isNaN(i.undoneS()) ? "-" : String.format("%.1f", i.undoneS())));
      rows.add(List.of("what was done", i.error() != null ? "failed: " + i.error() : i.done()));
      rows.add(List.of("recovered after s", recovered(f)));
      rows.add(List.of("failed requests", Long.toString(f.failedRequests())));
      rows.add(List.of("lost writes", Long.toString(f.lostWrites())));
      rows.add(List.of("window (s)", f.windowFromS() + " to " + f.windowToS()));
      f.happened().forEach(h -> rows.add(List.of("happened", h)));
      tables.add(new HtmlReport.Table("Fault: " + f.name(), List.of("", ""), rows));
    }
    List<List<String>> vip = new ArrayList<>();
    vip.add(
        List.of(
            "held by two at once, s",
            String.format("%.2f", r.vipDoubleHolding().toMillis() / 1000.0)));
    r.vipEpisodes().forEach(e -> vip.add(List.of("stretch", e)));
    tables.add(new HtmlReport.Table("Floating IP", List.of("", ""), vip));
    tables.addAll(HtmlReport.summary(l));
    return HtmlReport.render("webinfra chaos " + r.scenario().source(), l, regions, tables);
  }
}
