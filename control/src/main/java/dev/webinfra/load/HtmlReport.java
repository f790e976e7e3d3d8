package dev.webinfra.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A self-contained HTML report: the timeline of ok and failed requests a second and p99 latency,
 * drawn with ECharts inlined from its WebJar, then tables. Chaos adds its faults as shaded {@link
 * Region}s and a table per fault.
 */
public final class HtmlReport {
  private static final String WEBJAR = "META-INF/resources/webjars/echarts/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  /** A span of the timeline to shade, with its label: a fault, from its start to its end. */
  public record Region(String name, double fromSecond, double toSecond) {}

  /** A table under the chart: a caption, column headings, and rows of cells. */
  public record Table(String caption, List<String> columns, List<List<String>> rows) {
    /** Copies the lists. */
    public Table {
      columns = List.copyOf(columns);
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  /** The report of a load run on its own: the chart and the summary tables. */
  public static String render(LoadResult r) {
    return render("webinfra load " + r.runId(), r, List.of(), summary(r));
  }

  /** A report with a title, shaded regions and tables of the caller's. */
  public static String render(
      String title, LoadResult r, List<Region> regions, List<Table> tables) {
    ObjectNode data = JSON.createObjectNode();
    data.put("seconds", Math.max(1, r.options().schedule().seconds()));
    ArrayNode t = data.putArray("timeline");
    for (Second s : r.timeline()) {
      t.addObject()
          .put("second", s.second())
          .put("ok", s.ok())
          .put("failed", s.failed())
          .put("p99_ms", s.p99Ms());
    }
    ArrayNode rs = data.putArray("regions");
    regions.forEach(
        g ->
            rs.addObject()
                .put("name", g.name())
                .put("from", g.fromSecond())
                .put("to", g.toSecond()));
    StringBuilder html = new StringBuilder();
    tables.forEach(tb -> html.append(table(tb)));
    String version = echartsVersion();
    return template()
        .replace("{{echarts_version}}", version)
        .replace("{{title}}", escape(title))
        .replace(
            "{{subtitle}}",
            escape(
                r.url()
                    + ", started "
                    + r.startedAt()
                    + ", "
                    + r.options().rate()
                    + " requests a second, "
                    + r.options().writePercent()
                    + "% writes"))
        .replace("{{tables}}", html.toString())
        // "</" would end the script element early: JSON allows "<\/" for it.
        .replace("{{data}}", data.toString().replace("</", "<\\/"))
        // Last, so nothing in the library is ever taken for a placeholder.
        .replace("{{echarts}}", resource(WEBJAR + version + "/dist/echarts.min.js"));
  }

  /** The tables of a plain load report: totals and failures, latency, writes per server. */
  public static List<Table> summary(LoadResult r) {
    List<List<String>> totals = new ArrayList<>();
    totals.add(List.of("requests", Long.toString(r.requests())));
    totals.add(List.of("ok", Long.toString(r.ok())));
    totals.add(List.of("failed", Long.toString(r.failed())));
    totals.add(List.of("sent again (retried)", Long.toString(r.retried())));
    r.failures().forEach((k, v) -> totals.add(List.of("failed: " + k, Long.toString(v))));
    totals.add(List.of("latency p50 ms", Double.toString(r.latency().p50Ms())));
    totals.add(List.of("latency p90 ms", Double.toString(r.latency().p90Ms())));
    totals.add(List.of("latency p99 ms", Double.toString(r.latency().p99Ms())));
    totals.add(List.of("latency max ms", Double.toString(r.latency().maxMs())));
    WriteReport w = r.writes();
    List<List<String>> writes =
        List.of(
            List.of("attempted", Long.toString(w.attempted())),
            List.of("acknowledged", Long.toString(w.acknowledged())),
            List.of("acknowledged and present", Long.toString(w.present())),
            List.of("lost", Long.toString(w.lost())),
            List.of(
                "indeterminate (found)", w.indeterminate() + " (" + w.indeterminateFound() + ")"),
            List.of("failed (found)", w.failed() + " (" + w.failedFound() + ")"),
            List.of("unexpected", Long.toString(w.unexpected())),
            List.of(
                "duplicated",
                w.duplicated()
                    + (w.duplicatedIds().isEmpty()
                        ? ""
                        : " (" + String.join(" ", w.duplicatedIds()) + ")")));
    List<List<String>> servers =
        w.servers().stream()
            .map(
                s ->
                    s.readable()
                        ? List.of(
                            s.host(),
                            Long.toString(s.rows()),
                            Long.toString(s.missingAcknowledged()))
                        : List.of(s.host(), "unreadable", s.error() == null ? "" : s.error()))
            .toList();
    List<List<String>> why =
        r.reasons().entrySet().stream()
            .map(e -> List.of(e.getKey(), Long.toString(e.getValue())))
            .toList();
    List<List<String>> again =
        r.retries().entrySet().stream()
            .map(e -> List.of(e.getKey(), Long.toString(e.getValue())))
            .toList();
    return List.of(
        new Table("Requests", List.of("", "count"), totals),
        new Table("Why requests failed", List.of("reason", "count"), why),
        new Table(
            "Sent again: connection reset or closed before any answer",
            List.of("reason", "count"),
            again),
        new Table("Writes", List.of("class", "count"), writes),
        new Table("Database servers", List.of("host", "rows", "acknowledged missing"), servers));
  }

  private static String table(Table t) {
    StringBuilder b = new StringBuilder("<table>\n<caption>").append(escape(t.caption()));
    b.append("</caption>\n<tr>");
    t.columns().forEach(c -> b.append("<th>").append(escape(c)).append("</th>"));
    b.append("</tr>\n");
    for (List<String> row : t.rows()) {
      b.append("<tr>");
      row.forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
      b.append("</tr>\n");
    }
    return b.append("</table>\n").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  // The version the build put on the class path, so the pom alone decides it.
  static String echartsVersion() {
    Properties p = new Properties();
    try (InputStream in =
        HtmlReport.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the ECharts WebJar is not on the class path");
      }
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String template() {
    return resource("templates/load/report.html.tmpl");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
  }
}
