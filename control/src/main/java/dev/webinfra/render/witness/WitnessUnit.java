package dev.webinfra.render.witness;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.app.AppUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.witness.LeaseWitness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The floating IP's witness ({@link LeaseWitness}): a lease on the monitoring host (else the
 * arbitrator) that both load balancers reach, so that exactly one holds the IP when they cannot
 * hear each other. See docs/vip.md.
 */
public final class WitnessUnit implements DaemonUnit {
  /** The unit's name. */
  public static final String NAME = "witness";

  /** The TCP port the witness listens on. */
  public static final int PORT = 8407;

  /**
   * How long a lease lasts without renewal: the holder renews about every 0.1 s, so a holder that
   * died (or stopped holding) frees it this long after, and the other may take the IP.
   */
  public static final Duration TTL = Duration.ofMillis(600);

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The host of the witness: the first monitoring host, else the first arbitrator, that shares a
   * network with every load balancer. None such: no witness, and VRRP alone elects the holder, as
   * the guard does whenever the witness does not answer.
   */
  public static Optional<Host> host(Topology t) {
    List<Host> lbs = t.hostsWith(Role.LB);
    if (t.vip().isEmpty() || lbs.size() < 2) {
      return Optional.empty();
    }
    return java.util.stream.Stream.concat(
            t.hostsWith(Role.MONITOR).stream(), t.hostsWith(Role.ARBITRATOR).stream())
        .filter(w -> !lbs.contains(w))
        .filter(
            w ->
                lbs.stream()
                    .allMatch(
                        lb ->
                            w.attachments().stream()
                                .anyMatch(a -> lb.address(a.network()).isPresent())))
        .findFirst();
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host(t).filter(host::equals).isPresent();
  }

  /** The address the witness binds: the host's first, which the load balancers reach. */
  static Ipv4 address(Host witness) {
    return witness.primaryAddress();
  }

  /** The witness's URL as {@code lb} dials it, without a path. */
  public static Optional<String> url(Topology t, Host lb) {
    return host(t).map(w -> "http://" + w.addressFor(lb) + ":" + PORT);
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    String listen = address(host) + ":" + PORT;
    return DaemonSpec.builder(
            host.name(),
            name(),
            smallJvm(p, LeaseWitness.class, listen, Long.toString(TTL.toMillis())),
            p.log().resolve("witness.log"))
        .user(AppUnit.USER)
        .readiness(Readiness.answers("http://" + listen + "/peek?host=readiness", Optional.empty()))
        .build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    if (!runsOn(t, host)) {
      return List.of();
    }
    return t.hostsWith(Role.LB).stream()
        .map(
            lb ->
                Flow.tcp(
                    lb.name(),
                    host.name(),
                    PORT,
                    "the floating IP's witness lease",
                    Flow.Kind.WITNESS))
        .toList();
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return List.of(Listener.tcp(name(), PORT, Set.of(address(host))));
  }

  /**
   * The command of a small daemon of ours ({@code main} with {@code args}): the java running
   * webinfra (21+), as for the app, with a heap for a daemon that keeps little, and the control
   * jar. Used for the witness and the load balancers' VIP guard.
   */
  public static List<String> smallJvm(HostPaths p, Class<?> main, String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                p.java().toString(),
                "-XX:+UseSerialGC",
                "-Xms8m",
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-XX:+ExitOnOutOfMemoryError",
                "-Duser.home=/nonexistent",
                "-cp",
                p.control().toString(),
                main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
