package dev.webinfra.controller;

import dev.webinfra.daemon.Supervisor;
import dev.webinfra.database.Replication;
import dev.webinfra.database.Sql;
import dev.webinfra.events.EventLog;
import dev.webinfra.failover.Promotion;
import dev.webinfra.failover.PromotionCheck;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.site.LabState;
import dev.webinfra.site.Secrets;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The controller's automatic failover of a primary-replica set: fence the old primary so that it
 * can never take a write again, promote the replica that received the most once it has applied all
 * it received ({@link Promotion}), and let apps and replicas follow. A fenced primary that comes
 * back is checked read-only, made to follow, and unfenced. Every step goes to the event log.
 */
final class Failover {
  /** The nftables table that isolates a fenced primary's server port inside its own host. */
  static final String FENCE_TABLE = "webinfra_fence";

  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final LabState state;
  private final Secrets secrets;
  private final Poll poll;
  private final EventLog events;
  private final RecoveryHistory history;
  private final Clock clock;
  private final Sql sql;

  Failover(
      Topology t,
      HostDriver driver,
      Supervisor runner,
      LabState state,
      Secrets secrets,
      Poll poll,
      EventLog events,
      RecoveryHistory history) {
    this.t = t;
    this.driver = driver;
    this.runner = runner;
    this.state = state;
    this.secrets = secrets;
    this.poll = poll;
    this.events = events;
    this.history = history;
    this.clock = poll.clock();
    this.sql = new Sql(driver);
  }

  /** Fails over from the dead primary of {@code f}; returns whether a replica was promoted. */
  boolean failOver(Finding f) {
    Instant start = clock.instant();
    String old = f.host();
    String code = f.code().name();
    events.record(old, code, f.reason() + "; failing over");
    fence(old, code);
    Map<String, String> received = stopReceiving(old, code);
    String candidate = PromotionCheck.mostAdvanced(received).orElse(null);
    if (candidate == null) {
      events.record(old, code, "no replica answers; nothing to promote");
      resumeReceiving(received.keySet());
      return false;
    }
    events.record(
        candidate, code, "promoting " + candidate + ", which received the most: " + received);
    try {
      new Promotion(t, driver, runner, state, secrets, poll, m -> events.record(candidate, code, m))
          .promoteFenced(candidate);
    } catch (RuntimeException e) {
      events.record(
          candidate, code, "promotion of " + candidate + " failed: " + firstLine(e.getMessage()));
      resumeReceiving(received.keySet());
      return false;
    }
    Duration took = Duration.between(start, clock.instant());
    history.failedOver(start);
    state.setLastFailover(new LabState.Failover(old, candidate, start, took));
    events.record(
        candidate,
        code,
        "failover done: "
            + candidate
            + " is the primary ("
            + took.toMillis()
            + " ms); "
            + old
            + " stays fenced until it returns as a replica; further failovers blocked for "
            + PrimaryDetector.BLOCK.toSeconds()
            + " s");
    return true;
  }

  // Read-only and its client sessions killed when it answers (through its socket, which a
  // partition does not cut); its port closed from the outside in its own host when it does not,
  // so that it cannot take a write when it comes back before it is rendered a replica.
  private void fence(String old, String code) {
    state.setFenced(old, true);
    ExecResult ro = sql.tryRun(old, "SET GLOBAL read_only = ON;");
    if (ro.ok()) {
      List<List<String>> sessions =
          sql.run(
              old,
              "SELECT id FROM information_schema.processlist WHERE user NOT IN ('system user',"
                  + " 'root', 'repl', 'event_scheduler') AND id <> CONNECTION_ID();");
      StringBuilder kill = new StringBuilder();
      sessions.forEach(s -> kill.append("KILL CONNECTION ").append(s.get(0)).append(";\n"));
      if (!kill.isEmpty()) {
        sql.tryRun(old, kill.toString());
      }
      events.record(
          old,
          code,
          "fenced " + old + ": read_only ON, " + sessions.size() + " client session(s) killed");
    }
    ExecResult nft =
        driver.exec(
            old,
            List.of("nft", "-f", "-"),
            "table inet "
                + FENCE_TABLE
                + " {\n  chain input {\n    type filter hook input priority -10; policy accept;\n"
                + "    iifname != \"lo\" tcp dport "
                + t.host(old).orElseThrow().settings().db().port()
                + " drop\n  }\n}\n",
            Duration.ofSeconds(5));
    events.record(
        old,
        code,
        nft.ok()
            ? "isolated " + old + ": its database port drops every packet from outside the host"
            : "could not isolate " + old + " (" + firstLine(nft.describe()) + ")");
  }

  /**
   * Stops every answering replica's IO thread at once and returns what each received. At once,
   * because a replica's IO thread may be retrying a connection to the dead primary and takes up to
   * {@code slave_net_timeout} to stop; stopped, because the positions compared must not move.
   */
  private Map<String, String> stopReceiving(String old, String code) {
    List<String> replicas =
        t.database().replicas().stream().filter(r -> !state.isStopped(r)).toList();
    Map<String, String> received = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String r : replicas) {
        pool.submit(
            () -> {
              String pos = sql.slaveStatusAfter(r, "STOP SLAVE IO_THREAD;").get("Gtid_IO_Pos");
              if (pos != null) {
                received.put(r, pos);
              }
            });
      }
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    replicas.stream().filter(received::containsKey).forEach(r -> ordered.put(r, received.get(r)));
    events.record(
        old, code, "replicas stopped receiving from " + old + "; they received " + ordered);
    return ordered;
  }

  // A failover that promoted nobody leaves the replicas as they were.
  private void resumeReceiving(java.util.Collection<String> replicas) {
    replicas.forEach(r -> sql.tryRun(r, "START SLAVE IO_THREAD;"));
  }

  /**
   * A fenced former primary runs again: it must be read-only and follow before it is unfenced;
   * returns whether it was.
   */
  boolean rejoin(Finding f) {
    String h = f.host();
    String code = f.code().name();
    String ro = sql.value(h, "SELECT @@read_only").orElse("?");
    if (!ro.equals("1")) {
      sql.tryRun(h, "SET GLOBAL read_only = ON;");
      events.record(h, code, h + " came back writable (read_only " + ro + "); set read_only ON");
    }
    String primary = t.database().primary().orElseThrow();
    try {
      new Replication(driver, secrets, poll, m -> events.record(h, code, m.strip()))
          .follow(t.host(h).orElseThrow(), t.host(primary).orElseThrow());
    } catch (RuntimeException e) {
      events.record(
          h,
          code,
          h
              + " cannot follow "
              + primary
              + ": "
              + firstLine(e.getMessage())
              + "; it stays fenced (re-clone it: webinfra down, then up)");
      return false;
    }
    driver.exec(
        h, List.of("nft", "delete", "table", "inet", FENCE_TABLE), null, Duration.ofSeconds(5));
    state.setFenced(h, false);
    events.record(h, code, h + " rejoined as a read-only replica of " + primary + "; unfenced");
    return true;
  }

  private static String firstLine(String s) {
    return String.valueOf(s).lines().findFirst().orElse("");
  }
}
