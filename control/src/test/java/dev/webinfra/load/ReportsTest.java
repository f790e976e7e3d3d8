package dev.webinfra.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three report formats of one made-up run: JSON's shape, the text, the HTML's content. */
class ReportsTest {

  /** A 3-second run at 10/s with one write lost and a timeout in the second second. */
  static LoadResult sample() {
    Tally t = new Tally();
    Schedule s = new Schedule(10, 3_000_000_000L, 10);
    for (long n = 0; n < s.count(); n++) {
      Cause c = n == 15 ? Cause.TIMEOUT : Cause.OK;
      if (c != Cause.OK) {
        t.reason(c, "java.net.http.HttpTimeoutException: request timed out");
      }
      if (n == 7) {
        t.retry(Cause.OTHER, "java.net.SocketException: Connection reset");
      }
      t.add(
          new Outcome(
              n, s.dueNanos(n), (n + 1) * 1_000_000L, c, c == Cause.OK ? 200 : 0, s.isWrite(n)));
    }
    WriteReport w =
        SetChecker.check(
            "abc",
            t.writes(),
            List.of(
                ServerRows.read("web1", List.of("load-abc-9", "load-abc-19")),
                ServerRows.unreadable("web2", "host web2: SQL failed")));
    return new LoadResult(
        "abc",
        "https://www.foobar.com/",
        Instant.parse("2026-01-01T00:00:00Z"),
        new LoadOptions(Duration.ofSeconds(3), 10, 10, 4, Duration.ofSeconds(5)),
        true,
        t.requests(),
        t.ok(),
        t.failures(),
        t.reasons(),
        t.retries(),
        t.latency(),
        t.timeline(),
        w);
  }

  @Test
  void jsonHasTheAgreedShape() throws Exception {
    JsonNode j = new ObjectMapper().readTree(JsonReport.render(sample()));
    assertThat(j.get("requests").asLong()).isEqualTo(30);
    assertThat(j.get("ok").asLong()).isEqualTo(29);
    assertThat(j.get("failed").asLong()).isEqualTo(1);
    assertThat(j.get("failures").get("timeout").asLong()).isEqualTo(1);
    assertThat(j.get("failure_reasons").get(0).get("reason").asText())
        .isEqualTo("timeout: java.net.http.HttpTimeoutException: request timed out");
    assertThat(j.get("failure_reasons").get(0).get("count").asLong()).isEqualTo(1);
    assertThat(j.get("retries_allowed").asInt()).isEqualTo(1);
    assertThat(j.get("retried").asLong()).isEqualTo(1);
    assertThat(j.get("retry_reasons").get(0).get("reason").asText())
        .isEqualTo("other: java.net.SocketException: Connection reset");
    assertThat(j.get("failures").fieldNames())
        .toIterable()
        .containsExactly("connect", "timeout", "5xx", "4xx", "other");
    JsonNode w = j.get("writes");
    assertThat(w.get("attempted").asLong()).isEqualTo(3);
    assertThat(w.get("acknowledged").asLong()).isEqualTo(3);
    assertThat(w.get("lost").asLong()).isEqualTo(1);
    assertThat(w.get("lost_ids").get(0).asText()).isEqualTo("load-abc-29");
    assertThat(w.get("unexpected").asLong()).isZero();
    assertThat(w.get("indeterminate").asLong()).isZero();
    assertThat(w.get("servers").get(0).get("rows").asLong()).isEqualTo(2);
    assertThat(w.get("servers").get(1).get("readable").asBoolean()).isFalse();
    assertThat(j.get("latency_ms").fieldNames())
        .toIterable()
        .containsExactly("p50", "p90", "p99", "max");
    assertThat(j.get("latency_ms").get("max").asDouble())
        .isCloseTo(30.0, org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(j.get("timeline")).hasSize(3);
    JsonNode second1 = j.get("timeline").get(1);
    assertThat(second1.get("requests").asLong()).isEqualTo(10);
    assertThat(second1.get("failed").asLong()).isEqualTo(1);
    assertThat(second1.get("failures").get("timeout").asLong()).isEqualTo(1);
    assertThat(second1.has("p99_ms")).isTrue();
  }

  @Test
  void textNamesWhatFailedAndWhatWasLost() {
    String text = TextReport.render(sample());
    assertThat(text)
        .contains("requests 30  ok 29  failed 1  (timeout 1)")
        .contains("lost 1")
        .contains("lost: load-abc-29")
        .contains("      1  timeout: java.net.http.HttpTimeoutException: request timed out")
        .contains("web2     unreadable: host web2: SQL failed")
        .contains("retried 1 (connection reset or closed before any answer; --retries 1)")
        .doesNotContain("connect 0");
  }

  @Test
  void htmlIsSelfContainedWithTheChartTheRegionsAndTheTables() {
    LoadResult r = sample();
    String html =
        HtmlReport.render(
            "chaos <tour>",
            r,
            List.of(new HtmlReport.Region("stop web1", 1.0, 2.5)),
            List.of(
                new HtmlReport.Table("fault stop web1", List.of("failed"), List.of(List.of("1")))));
    assertThat(html)
        .as("no resource from the network")
        .doesNotContain("src=\"http")
        .doesNotContain("<link")
        .contains("ECharts " + HtmlReport.echartsVersion())
        .contains("echarts.init")
        .contains("markArea")
        .contains("\"regions\":[{\"name\":\"stop web1\",\"from\":1.0,\"to\":2.5}]")
        .contains("<h1>chaos &lt;tour&gt;</h1>")
        .contains("<caption>fault stop web1</caption>")
        .doesNotContain("{{");
    assertThat(html.length()).as("the library is inlined").isGreaterThan(500_000);
    assertThat(HtmlReport.render(r))
        .contains("<caption>Writes</caption>")
        .contains("<td>lost</td><td>1</td>")
        .contains("\"regions\":[]");
  }

  @Test
  void dataThatLooksLikeTheEndOfAScriptCannotBreakOut() {
    LoadResult r = sample();
    String html =
        HtmlReport.render("t", r, List.of(new HtmlReport.Region("</script><b>x", 0, 1)), List.of());
    assertThat(html).doesNotContain("</script><b>x").contains("<\\/script><b>x");
  }
}
