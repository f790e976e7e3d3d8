package dev.webinfra.deploy;

import dev.webinfra.WebinfraException;
import dev.webinfra.apply.Supplies;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.HostDriver;
import dev.webinfra.render.app.AppUnit;
import dev.webinfra.site.SiteContext;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A rolling deploy of the app tier, one server at a time: drain it on every load balancer, wait for
 * its sessions, stop the app gracefully, start the new jar, wait until every load balancer's health
 * check passes, put it back. A server whose new version fails goes back to its old jar and the
 * deploy stops there.
 */
public final class Deployer {
  public static final Duration SESSIONS = Duration.ofSeconds(10);

  /** How long a new version has, by default, to pass every load balancer's health check. */
  public static final Duration HEALTHY = Duration.ofSeconds(30);

  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final Supplies supplies;
  private final EventLog events;
  private final Poll poll;
  private final Consumer<String> say;
  private final Duration healthy;

  /**
   * A deployer of {@code supplies}' jar to {@code site}'s app servers, logging to {@code events},
   * giving each new version {@code healthy} to pass its health checks.
   */
  public Deployer(SiteContext site, Supplies supplies, EventLog events, Duration healthy) {
    this.healthy = healthy;
    this.t = site.topology();
    this.driver = site.driver();
    this.runner = site.runner();
    this.supplies = supplies;
    this.events = events;
    this.poll = site.poll();
    this.say = site.say();
  }

  /** Deploys the supplies' jar to every app server not in {@code stopped}; returns how many. */
  public int deploy(Set<String> stopped) {
    AppUnit unit = new AppUnit();
    List<HaproxyRuntime> lbs =
        t.hostsWith(Role.LB).stream()
            .filter(h -> !stopped.contains(h.name()))
            .map(h -> new HaproxyRuntime(driver, h.name()))
            .toList();
    int n = 0;
    for (Host h : t.hosts()) {
      if (!unit.runsOn(t, h) || stopped.contains(h.name())) {
        continue;
      }
      DaemonSpec spec = unit.spec(t, h, driver.paths(h.name()));
      server(h, spec, h.has(Role.WEB) ? lbs : List.of());
      n++;
    }
    return n;
  }

  private void step(String host, String code, String message) {
    events.operator(host, code, message);
    say.accept("  " + host + ": " + message);
  }

  private void server(Host h, DaemonSpec spec, List<HaproxyRuntime> lbs) {
    String name = h.name();
    Fingerprint old =
        runner
            .recorded(spec)
            .orElseThrow(
                () -> WebinfraException.unexpectedState(spec.id() + ": no record of its jar"));
    step(name, "DeployDrain", "draining on " + lbs.size() + " load balancers");
    lbs.forEach(lb -> lb.state(name, "drain"));
    boolean idle =
        poll.within(
            SESSIONS,
            Duration.ofMillis(100),
            () ->
                lbs.stream()
                    .allMatch(lb -> lb.server(name).map(s -> s.sessions() == 0).orElse(true)));
    step(
        name,
        "DeployStop",
        "stopping the app gracefully"
            + (idle ? "" : " (sessions still open after " + SESSIONS.toSeconds() + " s)"));
    runner.stop(spec);
    lbs.forEach(lb -> lb.healthDown(name));
    Runnable putBack = keepOld(name);
    Fingerprint next = Fingerprint.of(spec, supplies.install(h, spec));
    step(name, "DeployStart", "starting the new version");
    String failure = startAndCheck(spec, next, lbs, healthy);
    if (failure == null) {
      lbs.forEach(lb -> lb.state(name, "ready"));
      step(name, "DeployReady", "new version healthy on every load balancer, back in rotation");
      return;
    }
    // A start that failed names the log's last lines already; a failed health check does not.
    if (!failure.contains("last lines of")) {
      failure += lastLog(spec);
    }
    step(name, "DeployFailed", "new version failed: " + failure);
    runner.stop(spec);
    lbs.forEach(lb -> lb.healthDown(name));
    putBack.run();
    step(name, "DeployRollback", "old version going back");
    // The old version served until now: it gets the default time at least, however short the
    // new version's was.
    String again =
        startAndCheck(spec, old, lbs, healthy.compareTo(HEALTHY) < 0 ? HEALTHY : healthy);
    if (again == null) {
      lbs.forEach(lb -> lb.state(name, "ready"));
      step(name, "DeployRolledBack", "old version healthy again, back in rotation");
    }
    // The outcome first: the reason may run to several lines of the app's log.
    throw WebinfraException.checkFailed(
        "host "
            + name
            + ": the new version failed its health check; deploy stopped, "
            + (again == null
                ? "the old version is back in rotation on " + name
                : "and the old version did not come back either: " + again)
            + "; why: "
            + failure);
  }

  /**
   * Keeps what {@code host} runs now and returns how to put it back: the jar copied aside for our
   * guestbook, the {@code current} link's release for a user's app (each server keeps its last
   * releases).
   */
  private Runnable keepOld(String host) {
    if (supplies.release().isEmpty()) {
      Path jar = AppUnit.jar(driver.paths(host));
      Path previous = Path.of(jar + ".previous");
      exec(host, "cp", "-p", jar.toString(), previous.toString());
      return () -> exec(host, "cp", "-p", previous.toString(), jar.toString());
    }
    Path current = AppUnit.releases(driver.paths(host)).resolve("current");
    String old =
        driver
            .readLink(host, current)
            .orElseThrow(
                () ->
                    WebinfraException.unexpectedState(
                        "host " + host + ": no current release at " + current + "; run up first"));
    return () -> driver.link(host, current, old);
  }

  /** The last lines of the app's log on {@code host}, on one line, for a failed version. */
  private String lastLog(DaemonSpec spec) {
    var r =
        driver.exec(
            spec.host(),
            List.of("tail", "-n", "3", spec.log().toString()),
            null,
            Duration.ofSeconds(10));
    String lines =
        r.stdout()
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .reduce((a, b) -> a + " | " + b)
            .orElse("");
    return lines.isEmpty() ? "" : "; the app's last log lines: " + lines;
  }

  /** Starts the app and waits {@code within} for every LB's check; null when healthy, else why. */
  private String startAndCheck(
      DaemonSpec spec, Fingerprint fp, List<HaproxyRuntime> lbs, Duration within) {
    try {
      runner.start(spec, fp, within);
    } catch (WebinfraException e) {
      return e.getMessage();
    }
    List<String> seen = new ArrayList<>();
    boolean passed =
        poll.within(
            within,
            Duration.ofMillis(100),
            () -> {
              seen.clear();
              boolean all = true;
              for (HaproxyRuntime lb : lbs) {
                var s = lb.server(spec.host());
                seen.add(s.map(x -> x.status() + " (" + x.lastCheck() + ")").orElse("absent"));
                all &= s.map(HaproxyRuntime.ServerState::healthy).orElse(false);
              }
              return all;
            });
    return passed
        ? null
        : "not healthy on the load balancers after " + within.toSeconds() + " s: " + seen;
  }

  private void exec(String host, String... cmd) {
    var r = driver.exec(host, List.of(cmd), null, Duration.ofSeconds(30));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState("host " + host + ": " + r.describe());
    }
  }
}
