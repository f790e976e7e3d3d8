package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotency keys end to end inside the app: the server in-process on a real MariaDB of its own
 * ({@link LocalMariaDb}). A repeat of a key gets the first answer and makes no second row, repeats
 * sent at once make one row, and a bad key is refused with nothing written.
 */
class KeyedWritesTest {
  // JUnit removes it after the class: no test leaves a directory in /tmp.
  @TempDir static Path tmp;

  static LocalMariaDb db;
  static AppServer app;
  static Path password;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    db = LocalMariaDb.start();
    Files.writeString(tmp.resolve("pw"), "x\n");
    password = tmp.resolve("pw");
    app = new AppServer(config(4, false), Clock.systemUTC(), "web-test");
    app.start();
  }

  static AppConfig config(int poolSize, boolean causalReads) {
    return new AppConfig(
        "127.0.0.1",
        0,
        "www.foobar.com",
        db.url(),
        List.of(db.url()),
        "app",
        password,
        poolSize,
        causalReads);
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void withCausalReadsOnlyWriteSessionsWaitForTheCluster() throws Exception {
    // The variable exists on any wsrep-capable server (Debian's is), Galera running or not.
    for (boolean causal : new boolean[] {true, false}) {
      try (Db pools =
              new Db(
                  config(2, causal),
                  new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                  Clock.systemUTC());
          var w = pools.write();
          var r = pools.read();
          var ws = w.createStatement();
          var rs = r.connection().createStatement();
          var wq =
              ws.executeQuery("SELECT @@session.wsrep_sync_wait, @@session.wsrep_dirty_reads");
          var rq =
              rs.executeQuery("SELECT @@session.wsrep_sync_wait, @@session.wsrep_dirty_reads")) {
        wq.next();
        rq.next();
        assertThat(wq.getInt(1)).as("write session, causal=%s", causal).isEqualTo(causal ? 1 : 0);
        assertThat(rq.getInt(1)).as("read session, causal=%s", causal).isZero();
        // Off in the causal session: MariaDB skips the wait for a dirty read.
        assertThat(wq.getInt(2)).as("write session's dirty reads, causal=%s", causal).isZero();
      }
    }
  }

  static HttpResponse<String> post(String key, String query, String type, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + app.port()
                        + "/entries"
                        + (query == null ? "" : "?idempotency_key=" + query)))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> json(String key, String message) throws Exception {
    return post(
        key, null, "application/json", "{\"author\":\"t\",\"message\":\"" + message + "\"}");
  }

  @Test
  void aRepeatGetsTheFirstAnswerAndMakesNoSecondRow() throws Exception {
    HttpResponse<String> first = json("repeat-1", "once only");
    HttpResponse<String> second = json("repeat-1", "once only");
    assertThat(first.statusCode()).as("first: %s", first.body()).isEqualTo(201);
    assertThat(second.statusCode()).as("repeat's status").isEqualTo(201);
    assertThat(second.body()).as("repeat's body is the first's").isEqualTo(first.body());
    assertThat(first.body())
        .as("the first answer has the write's GTID")
        .contains("\"gtid\":\"0-1-");
    assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(db.rows("once only")).as("rows").isEqualTo(1);
  }

  @Test
  void aWriteTheLoadBalancerKeyedIsStoredOnceHoweverOftenItIsSent() throws Exception {
    // HAProxy keys a write whose client sent none, and sends it again to another server when the
    // first died before answering: the repeat gets the first answer.
    HttpResponse<String> first = balanced(null, "lb-1", "keyed by the balancer");
    HttpResponse<String> again = balanced(null, "lb-1", "keyed by the balancer");
    assertThat(first.statusCode()).as("first: %s", first.body()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(db.rows("keyed by the balancer")).as("rows").isEqualTo(1);
    // The client's key is the write's key: the balancer's, new on each send, does not matter.
    HttpResponse<String> client = balanced("client-2", "lb-2", "keyed by its client");
    HttpResponse<String> resent = balanced("client-2", "lb-3", "keyed by its client");
    assertThat(client.statusCode()).as("first: %s", client.body()).isEqualTo(201);
    assertThat(resent.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(db.rows("keyed by its client")).as("rows").isEqualTo(1);
  }

  static HttpResponse<String> balanced(String key, String balancerKey, String message)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/entries"))
            .header("Content-Type", "application/json")
            .header("X-Load-Balancer-Key", balancerKey)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"author\":\"t\",\"message\":\"" + message + "\"}"));
    if (key != null) {
      b.header("Idempotency-Key", key);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFormsRepeatIsRedirectedAgainAndStoredOnce() throws Exception {
    String body = "author=t&message=form+once";
    HttpResponse<String> first = post(null, "form-1", "application/x-www-form-urlencoded", body);
    HttpResponse<String> second = post(null, "form-1", "application/x-www-form-urlencoded", body);
    assertThat(first.statusCode()).as("first: %s", first.body()).isEqualTo(303);
    assertThat(second.statusCode()).isEqualTo(303);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("Location")).hasValue("/");
    assertThat(db.rows("form once")).isEqualTo(1);
  }

  @Test
  void concurrentRepeatsMakeOneRowAndAllGetTheSameAnswer() throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(
          pool.submit(
              () -> {
                go.await();
                return json("concurrent-1", "all at once");
              }));
    }
    go.countDown();
    List<HttpResponse<String>> got = new ArrayList<>();
    for (Future<HttpResponse<String>> f : answers) {
      got.add(f.get());
    }
    pool.shutdown();
    assertThat(got)
        .as("statuses and bodies")
        .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201))
        .extracting(HttpResponse::body)
        .containsOnly(got.get(0).body());
    assertThat(db.rows("all at once")).as("rows").isEqualTo(1);
  }

  @Test
  void aBadKeyIsRefusedAndNothingIsWritten() throws Exception {
    HttpResponse<String> tooLong = json("k".repeat(65), "bad key");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body())
        .contains("header Idempotency-Key is too long: at most 64 characters, was 65");
    HttpResponse<String> malformed = json("a b", "bad key");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("header Idempotency-Key is malformed", "'a b'");
    HttpResponse<String> empty = json("", "bad key");
    assertThat(empty.statusCode()).as("an empty key: %s", empty.body()).isEqualTo(400);
    HttpResponse<String> differ =
        post("one", "two", "application/json", "{\"author\":\"t\",\"message\":\"bad key\"}");
    assertThat(differ.statusCode()).isEqualTo(400);
    assertThat(differ.body()).contains("name different keys");
    assertThat(db.rows("bad key")).as("nothing written").isZero();
  }

  @Test
  void aKeyUsedForAnotherEntryIs422() throws Exception {
    assertThat(json("reused-1", "first entry").statusCode()).isEqualTo(201);
    HttpResponse<String> other = json("reused-1", "another entry");
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.body()).contains("was used for another entry");
    assertThat(db.rows("another entry")).isZero();
  }

  @Test
  void writesWithoutAKeyAreStoredEachTime() throws Exception {
    assertThat(json(null, "no key").statusCode()).isEqualTo(201);
    assertThat(json(null, "no key").statusCode()).isEqualTo(201);
    assertThat(db.rows("no key")).isEqualTo(2);
  }

  /**
   * Write connections whose commits misbehave as a dying Galera member's do: {@code how} runs in
   * place of the first {@code times} commits (it may commit first, or roll back), and throws.
   */
  static final class Breaking implements Guestbook.Connections {
    private final Db pools;
    private final Commit how;
    private final AtomicInteger left;
    private final AtomicInteger broken = new AtomicInteger();

    Breaking(Db pools, int times, Commit how) {
      this.pools = pools;
      this.how = how;
      this.left = new AtomicInteger(times);
    }

    /** How many commits were broken: a test that broke none proved nothing. */
    int broken() {
      return broken.get();
    }

    @Override
    public Connection get() throws SQLException {
      Connection real = pools.write();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("commit") && left.getAndDecrement() > 0) {
                  broken.incrementAndGet();
                  how.instead(real);
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  interface Commit {
    void instead(Connection real) throws SQLException;
  }

  @Test
  void aWriteWhoseCommitReachedTheClusterButNotTheAppIsStoredOnce() throws Exception {
    try (Db pools = new Db(config(2, false), new SimpleMeterRegistry(), Clock.systemUTC())) {
      // The member commits, then dies before it answers: Galera's cut-off member says deadlock,
      // Connector/J's fail-over says it reconnected.
      List<SQLException> answers =
          List.of(
              new SQLTransactionRollbackException("Deadlock found", "40001", 1213),
              new SQLTransientConnectionException("reconnected during a COMMIT", "25S03"));
      for (SQLException answer : answers) {
        Breaking writes =
            new Breaking(
                pools,
                1,
                real -> {
                  real.commit();
                  throw answer;
                });
        Guestbook book = new Guestbook(pools, writes);
        String message = "committed, then " + answer.getSQLState();
        Guestbook.Written w = book.add("t", message, "web-test", null, Guestbook.CREATED);
        assertThat(w.entry().message()).isEqualTo(message);
        assertThat(w.status()).isEqualTo(201);
        assertThat(w.repeat()).as("the app's own try is no client's repeat").isFalse();
        assertThat(writes.broken()).as("commits broken").isEqualTo(1);
        assertThat(db.rows(message)).as("rows after " + answer.getMessage()).isEqualTo(1);
      }
    }
  }

  @Test
  void aWriteRolledBackIsTriedAgainAndOneThatKeepsFailingIsRefused() throws Exception {
    try (Db pools = new Db(config(2, false), new SimpleMeterRegistry(), Clock.systemUTC())) {
      Commit conflict =
          real -> {
            real.rollback();
            throw new SQLTransactionRollbackException("Deadlock found", "40001", 1213);
          };
      Breaking twice = new Breaking(pools, 2, conflict);
      assertThat(new Guestbook(pools, twice).add("t", "third time lucky", "web-test").status())
          .isEqualTo(201);
      assertThat(twice.broken()).isEqualTo(2);
      assertThat(db.rows("third time lucky")).isEqualTo(1);

      Breaking always = new Breaking(pools, Guestbook.INSERT_TRIES, conflict);
      assertThatThrownBy(() -> new Guestbook(pools, always).add("t", "never stored", "web-test"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Deadlock");
      assertThat(always.broken()).isEqualTo(Guestbook.INSERT_TRIES);
      assertThat(db.rows("never stored")).isZero();
    }
  }

  @Test
  void healthIsUpOnAServerThatIsNoGaleraMember() throws Exception {
    HttpResponse<String> h =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
  }
}
