package dev.webinfra.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class TallyTest {
  static final long MS = 1_000_000L;

  static Outcome ok(long seq, long dueMs, long latencyMs) {
    return new Outcome(seq, dueMs * MS, latencyMs * MS, Cause.OK, 200, false);
  }

  @Test
  void percentilesComeFromTheAnsweredRequests() {
    Tally t = new Tally();
    for (int i = 1; i <= 100; i++) {
      t.add(ok(i, 0, i));
    }
    t.add(new Outcome(101, 0, 1, Cause.CONNECT, 0, false));
    Latency l = t.latency();
    // HdrHistogram keeps three significant digits: a value is exact to 0.1%.
    org.assertj.core.data.Percentage within = org.assertj.core.data.Percentage.withPercentage(0.1);
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.p50Ms()).isCloseTo(50.0, within);
    assertThat(l.p90Ms()).isCloseTo(90.0, within);
    assertThat(l.p99Ms()).isCloseTo(99.0, within);
    assertThat(l.maxMs()).isCloseTo(100.0, within);
    assertThat(t.requests()).isEqualTo(101);
    assertThat(t.ok()).isEqualTo(100);
    assertThat(t.failures()).containsEntry("connect", 1L).containsEntry("timeout", 0L);
  }

  @Test
  void theTimelineBucketsByWhenARequestWasDueAndShowsEmptySeconds() {
    Tally t = new Tally();
    t.add(ok(0, 100, 5));
    t.add(new Outcome(1, 900 * MS, 5000 * MS, Cause.TIMEOUT, 0, true));
    t.add(ok(2, 2500, 7));
    assertThat(t.timeline())
        .extracting(Second::second, Second::requests, Second::ok, Second::failed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 2L, 1L, 1L),
            org.assertj.core.groups.Tuple.tuple(1, 0L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple(2, 1L, 1L, 0L));
    assertThat(t.timeline().get(0).failures()).containsEntry("timeout", 1L);
    assertThat(t.timeline().get(0).p99Ms())
        .isCloseTo(5.0, org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(t.writes()).containsOnlyKeys(1L).containsEntry(1L, Cause.TIMEOUT);
  }

  @Test
  void reasonsThatDifferInTheirNumbersCountAsOneAndAFloodOfDistinctOnesStaysShort() {
    Tally t = new Tally();
    t.reason(Cause.HTTP_5XX, "503 timed out after 1000ms (waiting=25)");
    t.reason(Cause.HTTP_5XX, "503 timed out after 1005ms (waiting=22)");
    for (int i = 0; i < 30; i++) {
      t.reason(Cause.OTHER, "reset " + (char) ('a' + i % 26) + (char) ('a' + i / 26));
    }
    assertThat(t.reasons())
        .hasSize(Tally.REASONS + 1)
        .containsEntry("5xx: 503 timed out after 1000ms (waiting=25)", 2L);
    assertThat(t.reasons()).containsEntry("(others)", 11L);
  }

  @Test
  void outcomeLinesRoundTrip() {
    Outcome o = new Outcome(42, 420_000_000L, 1_234_000L, Cause.HTTP_5XX, 503, true);
    assertThat(o.toLine()).isEqualTo("o 42 420000 1234 HTTP_5XX 503 W");
    assertThat(Outcome.parse(o.toLine())).isEqualTo(o);
  }

  @Test
  void failuresAreClassifiedByCause() {
    assertThat(Cause.ofStatus(201)).isEqualTo(Cause.OK);
    assertThat(Cause.ofStatus(503)).isEqualTo(Cause.HTTP_5XX);
    assertThat(Cause.ofStatus(404)).isEqualTo(Cause.HTTP_4XX);
    assertThat(AgentHttp.classify(new HttpConnectTimeoutException("x"))).isEqualTo(Cause.CONNECT);
    assertThat(AgentHttp.classify(new HttpTimeoutException("x"))).isEqualTo(Cause.TIMEOUT);
    assertThat(AgentHttp.classify(new IOException("wrapped", new ConnectException("refused"))))
        .isEqualTo(Cause.CONNECT);
    assertThat(AgentHttp.classify(new IOException("connection reset"))).isEqualTo(Cause.OTHER);
  }

  @Test
  void onlyAConnectionResetOrClosedBeforeAnyAnswerIsWorthAnotherTry() {
    // What the JDK throws when a load balancer resets a request's connection, or closes it.
    assertThat(
            AgentHttp.closedBeforeAnswer(
                new IOException("HTTP/1.1 header parser received no bytes")))
        .isTrue();
    assertThat(
            AgentHttp.closedBeforeAnswer(
                new IOException("wrapped", new java.net.SocketException("Connection reset"))))
        .isTrue();
    assertThat(
            AgentHttp.closedBeforeAnswer(
                new javax.net.ssl.SSLHandshakeException(
                    "Remote host terminated the handshake",
                    new java.io.EOFException("SSL peer shut down incorrectly"))))
        .isTrue();
    // A timeout may still be served; a refused connection the JDK retries itself; a certificate
    // nobody trusts fails again.
    assertThat(AgentHttp.closedBeforeAnswer(new HttpTimeoutException("request timed out")))
        .isFalse();
    assertThat(AgentHttp.closedBeforeAnswer(new HttpConnectTimeoutException("connect"))).isFalse();
    assertThat(AgentHttp.closedBeforeAnswer(new IOException("x", new ConnectException("refused"))))
        .isFalse();
    assertThat(
            AgentHttp.closedBeforeAnswer(
                new javax.net.ssl.SSLHandshakeException(
                    "PKIX path building failed",
                    new java.security.cert.CertificateException(
                        "x", new java.io.EOFException("no")))))
        .isFalse();
  }

  @Test
  void retriesAreCountedApartFromFailures() {
    Tally t = new Tally();
    t.retry(Cause.OTHER, "java.io.IOException: HTTP/1.1 header parser received no bytes");
    t.retry(Cause.OTHER, "java.io.IOException: HTTP/1.1 header parser received no bytes");
    assertThat(t.retries())
        .containsExactly(
            java.util.Map.entry(
                "other: java.io.IOException: HTTP/1.1 header parser received no bytes", 2L));
    assertThat(t.reasons()).isEmpty();
  }

  @Test
  void runIdsAreLettersAndDigitsSoTheReadbackNeedsNoEscaping() {
    String id = LoadRun.newRunId(java.time.Clock.systemUTC());
    assertThat(id).matches("[a-z0-9]+");
    assertThat(Readback.likePrefix(id)).isEqualTo("load-" + id + "-");
  }
}
