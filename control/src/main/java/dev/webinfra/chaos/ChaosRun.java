package dev.webinfra.chaos;

import dev.webinfra.WebinfraException;
import dev.webinfra.load.LoadOptions;
import dev.webinfra.load.LoadResult;
import dev.webinfra.load.LoadRun;
import dev.webinfra.load.Site;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a scenario: load in the background, each fault injected and undone on schedule (times from
 * the load's start), then the load's readback and the figures per fault. Every fault is undone at
 * the end, also on Ctrl-C or SIGTERM (a shutdown hook), and the ledger lets a later run undo what a
 * kill -9 left.
 */
public final class ChaosRun {
  private final ChaosLab lab;
  private final Scenario scenario;
  private final Consumer<String> say;
  private final Ledger ledger;
  private final Object acting = new Object();
  private volatile boolean aborted;
  private volatile LoadRun load;

  public ChaosRun(ChaosLab lab, Scenario scenario, Consumer<String> say) {
    this.lab = lab;
    this.scenario = scenario;
    this.say = say;
    this.ledger = lab.ledger();
  }

  /** Undoes what an earlier chaos left recorded as active; returns what it undid. */
  public static List<String> undoLeftovers(ChaosLab lab, Consumer<String> say) {
    return undoLeftovers(lab, say, true);
  }

  /**
   * As {@link #undoLeftovers(ChaosLab, Consumer)}; {@code powerOn} false leaves power-cut hosts to
   * the caller ({@code up}, which brings every host back anyway).
   */
  public static List<String> undoLeftovers(ChaosLab lab, Consumer<String> say, boolean powerOn) {
    Ledger ledger = lab.ledger();
    List<String> undone = new ArrayList<>();
    for (String key : ledger.active().reversed()) {
      say.accept("chaos: undoing fault " + key + ", left active by an earlier run");
      List<String> failed =
          ledger.undo(
              key,
              u -> {
                if (powerOn || !u.what().equals("stopped")) {
                  lab.apply(u);
                }
              });
      if (!failed.isEmpty()) {
        throw WebinfraException.unexpectedState(
            "chaos: cannot undo fault " + key + " left by an earlier run: " + failed);
      }
      undone.add(key);
    }
    return undone;
  }

  /** Runs the scenario; {@code settle} bounds the readback's wait for replication. */
  public ChaosResult run(Site site, Duration settle) {
    List<String> leftovers = undoLeftovers(lab, say);
    List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < scenario.faults().size(); i++) {
      faults.add(Fault.of(scenario.faults().get(i), i));
    }
    Thread hook = Thread.ofPlatform().name("chaos-undo").unstarted(this::abort);
    Runtime.getRuntime().addShutdownHook(hook);
    VipWatch vip = new VipWatch(lab);
    List<Injection> injections = new ArrayList<>();
    LoadResult result;
    try {
      Scenario.Load l = scenario.load();
      LoadOptions options =
          new LoadOptions(l.duration(), l.rate(), l.writePercent(), 32, Duration.ofSeconds(5));
      try (LoadRun run = LoadRun.start(site, options, lab.clock())) {
        load = run;
        say.accept("chaos: load run " + run.runId() + " against " + site.url());
        Instant start =
            lab.poll()
                .until(
                    "chaos: the load agent starting",
                    Duration.ofSeconds(90),
                    Duration.ofMillis(50),
                    () -> run.startedAt(),
                    () -> "the agent has not reported its start");
        vip.start();
        for (int i = 0; i < faults.size() && !aborted; i++) {
          injections.add(inject(faults.get(i), i, start));
          // Undo those whose time has come before the next injection, in time order.
          undoDue(faults, injections, start, i + 1 < faults.size() ? faults.get(i + 1) : null);
        }
        undoDue(faults, injections, start, null);
        if (aborted) {
          throw WebinfraException.unexpectedState("chaos: interrupted; every fault undone");
        }
        say.accept("chaos: every fault undone; the load runs to its end");
        result = run.finish(settle, say);
      } finally {
        load = null;
      }
    } finally {
      vip.stop();
      undoAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook runs, and finds nothing left to undo.
      }
    }
    Instant start = result.startedAt();
    List<FaultResult> figures =
        Accounting.account(
            injections,
            result.timeline(),
            scenario.load().rate(),
            result.writes().lostIds(),
            lab.events(start.minusSeconds(1)),
            vip.changes(),
            start);
    List<String> episodes =
        vip.episodes().stream()
            .map(
                e ->
                    String.format(
                        "+%.2fs for %.2f s: %s",
                        Duration.between(start, e.from()).toMillis() / 1000.0,
                        e.length().toMillis() / 1000.0,
                        String.join(" and ", e.holders())))
            .toList();
    return new ChaosResult(scenario, result, figures, leftovers, vip.doubleHolding(), episodes);
  }

  private Injection inject(Fault f, int index, Instant start) {
    sleepUntil(start.plus(f.spec().at()));
    String key = key(index, f.spec());
    synchronized (acting) {
      if (aborted) {
        return new Injection(f.spec(), offset(start), offset(start), "", "interrupted", List.of());
      }
      double at = offset(start);
      say.accept(String.format("chaos: +%.1fs injecting %s (%s)", at, f.spec().name(), key));
      lab.note("-", "ChaosInject", f.spec().name());
      try {
        String done = f.inject(lab, step -> ledger.add(key, step));
        say.accept("chaos:   " + done);
        return new Injection(f.spec(), at, Double.NaN, done, null, List.of());
      } catch (RuntimeException e) {
        say.accept("chaos:   failed: " + e.getMessage());
        return new Injection(f.spec(), at, Double.NaN, "", e.getMessage(), List.of());
      }
    }
  }

  // Undoes, at their time, the injected faults due to end before {@code next} is injected.
  private void undoDue(List<Fault> faults, List<Injection> injections, Instant start, Fault next) {
    while (!aborted) {
      int due = -1;
      for (int i = 0; i < injections.size(); i++) {
        if (Double.isNaN(injections.get(i).undoneS())
            && (due < 0
                || injections.get(i).undoAt().compareTo(injections.get(due).undoAt()) < 0)) {
          due = i;
        }
      }
      if (due < 0
          || (next != null && injections.get(due).undoAt().compareTo(next.spec().at()) > 0)) {
        return;
      }
      sleepUntil(start.plus(injections.get(due).undoAt()));
      synchronized (acting) {
        if (aborted) {
          return; // the shutdown hook undid everything while this waited
        }
        Injection inj = injections.get(due);
        String key = key(due, inj.spec());
        say.accept(String.format("chaos: +%.1fs undoing %s", offset(start), inj.spec().name()));
        List<String> errors = ledger.undo(key, lab::apply);
        errors.forEach(e -> say.accept("chaos:   undo failed: " + e));
        lab.note("-", "ChaosUndo", inj.spec().name());
        injections.set(
            due,
            new Injection(inj.spec(), inj.atS(), offset(start), inj.done(), inj.error(), errors));
      }
    }
  }

  /** On Ctrl-C or SIGTERM: stop injecting, stop the load, undo every active fault. */
  private void abort() {
    aborted = true;
    LoadRun l = load;
    if (l != null) {
      l.stop();
    }
    undoAll();
  }

  // Latest first: a power cut injected first comes back last, its converge unhindered by the rest.
  private void undoAll() {
    synchronized (acting) {
      for (String key : ledger.active().reversed()) {
        say.accept("chaos: undoing " + key);
        ledger.undo(key, lab::apply).forEach(e -> say.accept("chaos:   undo failed: " + e));
      }
    }
  }

  private double offset(Instant start) {
    return Duration.between(start, lab.clock().instant()).toMillis() / 1000.0;
  }

  private void sleepUntil(Instant t) {
    while (!aborted) {
      long nanos = Duration.between(lab.clock().instant(), t).toNanos();
      if (nanos <= 0) {
        return;
      }
      // Rounded up, so a fault is never injected before its time.
      lab.poll().sleep(Duration.ofMillis(Math.min(200, (nanos + 999_999) / 1_000_000)));
    }
  }

  static String key(int index, FaultSpec f) {
    return String.format("%02d-%s", index, f.kind().label());
  }
}
