package dev.webinfra.chaos;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.events.Event;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.SiteFabric;
import dev.webinfra.lab.Lab;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What chaos needs of a running lab, in one place: commands through its host driver, signals to a
 * daemon through its supervisor, power cuts through the lab, the floating IP's holder and the event
 * log. Also applies the ledger's undo steps.
 */
public final class ChaosLab {
  private final Lab lab;
  private final Path appJar;
  private final Poll poll;
  private final Clock clock;

  /**
   * Chaos on {@code lab}, waiting on {@code poll}; {@code appJar} is what a power-cut host's app
   * starts from again.
   */
  public ChaosLab(Lab lab, Path appJar, Poll poll) {
    this.lab = lab;
    this.appJar = appJar;
    this.poll = poll;
    this.clock = poll.clock();
  }

  /** How chaos waits, on its clock. */
  public Poll poll() {
    return poll;
  }

  /** The lab's topology. */
  public Topology topology() {
    return lab.topology();
  }

  /** The lab's host driver: every fault acts through it. */
  public HostDriver driver() {
    return lab.driver();
  }

  /**
   * How webinfra's own Java runs on {@code host}, installed there first if need be: this JVM's in a
   * lab, the runtime webinfra ships on a server.
   */
  public SiteFabric.Java java(String host) {
    return lab.java(host);
  }

  /**
   * The faults this machine's chaos left active, beside the site's state rather than in it: a site
   * of servers keeps its state where its controller runs, and takes it back from there whenever the
   * controller pauses (a power cut's undo pauses it), which would lose a fault recorded meanwhile.
   */
  public Ledger ledger() {
    return new Ledger(lab.layout().labDir().resolve("chaos"));
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  /** Runs a command in a host; throws unless it succeeded. */
  public ExecResult run(String host, String what, List<String> cmd, String stdin) {
    ExecResult r = driver().exec(host, cmd, stdin, Duration.ofSeconds(20));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState("host " + host + ": " + what + ": " + r.describe());
    }
    return r;
  }

  /** The host by name; {@code @vip} is the load balancer holding the floating IP now. */
  public Host resolve(String name) {
    String n = name.equals(FaultSpec.VIP_HOLDER) ? vipHolder().orElseThrow(this::noVip) : name;
    return topology()
        .host(n)
        .orElseThrow(
            () -> WebinfraException.invalidInput("host " + n + ": not in lab " + labName()));
  }

  private WebinfraException noVip() {
    return WebinfraException.unexpectedState(
        "lab " + labName() + ": no load balancer holds the floating IP now");
  }

  /** The load balancer holding the floating IP now, if one does. */
  public Optional<String> vipHolder() {
    return vipHolders().stream().findFirst();
  }

  /** Every load balancer holding the floating IP now: two during a split brain. */
  public List<String> vipHolders() {
    if (topology().vip().isEmpty()) {
      return List.of();
    }
    String vip = topology().vip().get().address().toString();
    return loadBalancers().stream()
        // A power-cut host keeps the address on its downed link: it holds nothing.
        .filter(h -> lab.layout().namespaceExists(h) && !isStopped(h))
        .filter(h -> driver().addresses(h).contains(vip))
        .toList();
  }

  /** The load balancers, by name. */
  public List<String> loadBalancers() {
    return topology().hostsWith(Role.LB).stream().map(Host::name).toList();
  }

  /** Whether the load balancer {@code lb} has the floating IP on one of its links that is up. */
  public boolean holdsVipOnLinkUp(String lb) {
    if (topology().vip().isEmpty() || !lab.layout().namespaceExists(lb)) {
      return false;
    }
    String vip = topology().vip().get().address().toString();
    ExecResult r =
        driver().exec(lb, List.of("ip", "-o", "-4", "addr", "show", "up"), null, TWO_SECONDS);
    return r.ok() && holds(r.stdout(), vip);
  }

  /**
   * Runs {@code ip monitor} for addresses and links on {@code lb}: it prints a line on each change,
   * and ends, with whatever it started, once its standard input is closed (or the host is cut).
   */
  public Process monitorAddresses(String lb) {
    return driver()
        .open(lb, List.of("sh", "-c", "ip -o monitor address link & m=$!; read -r _; kill \"$m\""));
  }

  private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

  /** Whether {@code ip -o -4 addr show up}'s output has {@code vip} on a link. */
  static boolean holds(String ipOutput, String vip) {
    return ipOutput
        .lines()
        .anyMatch(
            l ->
                java.util.Arrays.asList(l.trim().split("\\s+")).contains("inet")
                    && l.contains(" " + vip + "/"));
  }

  /**
   * Sends {@code signal} to a running daemon, to every process of it with {@code all} (haproxy's
   * workers with its master); returns what it signalled ({@code pid 1234}).
   */
  public String signal(String host, String daemon, String signal, boolean all) {
    return lab.runner().signal(spec(resolve(host), daemon), signal, all);
  }

  /** Whether a daemon runs on a host now. */
  public boolean isRunning(String host, String daemon) {
    return lab.runner().isRunning(spec(resolve(host), daemon));
  }

  private DaemonSpec spec(Host h, String daemon) {
    return Units.named(daemon)
        .orElseThrow(() -> WebinfraException.invalidInput("daemon " + daemon + ": unknown"))
        .spec(topology(), h, driver().paths(h.name()));
  }

  /** The lab's service manager. */
  public Supervisor supervisor() {
    return lab.runner();
  }

  /** Cuts a host's power, as {@code webinfra stop} does. */
  public void powerCut(String host) {
    lab.stopHost(host);
  }

  /**
   * Brings a power-cut host back, the controller paused around it as {@code start} does, and waits
   * as {@code start --wait} does: a fault is undone once its host serves again (a Galera member's
   * state transfer included), so that the next fault and the readback find it whole.
   */
  public void powerOn(String host) {
    lab.controller().paused(() -> lab.startHost(host, appJar));
    lab.awaitReady(host, POWER_ON_READY);
  }

  /** How long a power-cut host is given to be ready again once started. */
  static final java.time.Duration POWER_ON_READY = java.time.Duration.ofMinutes(2);

  /** Whether a host is stopped (power-cut) now. */
  public boolean isStopped(String host) {
    return new dev.webinfra.site.LabState(lab.layout()).isStopped(host);
  }

  /** The event log's entries from {@code from} on. */
  public List<Event> events(Instant from) {
    return new EventLog(lab.layout().eventLog(), clock).since(from);
  }

  /** Records an operator's action in the event log. */
  public void note(String host, String code, String message) {
    new EventLog(lab.layout().eventLog(), clock).operator(host, code, message);
  }

  /** The lab's name. */
  public String labName() {
    return topology().lab();
  }

  /** Carries out one undo step; a step whose target is already gone does nothing. */
  public void apply(Undo u) {
    boolean there = lab.layout().namespaceExists(u.host());
    switch (u.what()) {
      case "nft" -> {
        if (there) {
          // add-then-delete: deleting a table that is not there is an error, adding one is not.
          run(
              u.host(),
              "delete nftables table " + u.arg(),
              List.of("nft", "-f", "-"),
              "add table " + u.arg() + "\ndelete table " + u.arg() + "\n");
        }
      }
      case "qdisc" -> {
        if (there) {
          ExecResult r =
              driver()
                  .exec(
                      u.host(),
                      List.of("tc", "qdisc", "del", "dev", u.arg(), "root"),
                      null,
                      Duration.ofSeconds(10));
          // No root qdisc of ours left (or the link is gone with a power cut): nothing to undo.
          if (!r.ok() && !r.stderr().matches("(?s).*(No such|handle of zero|Cannot find).*")) {
            throw WebinfraException.unexpectedState(
                "host " + u.host() + ": tc qdisc del dev " + u.arg() + ": " + r.describe());
          }
        }
      }
      case "proxy" -> {
        if (there) {
          lab.runner().stop(LatencyFault.proxyToStop(this, u.host(), Integer.parseInt(u.arg())));
        }
      }
      case "sskill" -> {
        if (there) {
          LatencyFault.closeConnections(this, u.host(), u.arg());
        }
      }
      case "cont" -> {
        // Gone since (a power cut): nothing frozen is left to thaw.
        if (there && isRunning(u.host(), u.arg())) {
          signal(u.host(), u.arg(), "CONT", true);
        }
      }
      case "stopped" -> {
        if (isStopped(u.host())) {
          powerOn(u.host());
        }
      }
      default -> throw new IllegalStateException("undo step " + u.what());
    }
  }
}
