package dev.webinfra.render.keepalived;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.render.witness.WitnessUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.Vip;
import dev.webinfra.witness.GuardRound;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders keepalived's config for one LB of the pair: unicast VRRP v3 to the peers on the VIP's
 * network, a priority from the LB's place in the file (the first is preferred), and a check that
 * gives up the floating IP when haproxy is dead or hung, and (with a witness) a tracked file that
 * holds the LB out of the IP while the witness says the other holds it (docs/vip.md).
 */
public final class KeepalivedRenderer {
  /**
   * {@code advert_int}: the holder's VRRP advert interval. With a witness the standby waits in
   * FAULT while the lease is held; once it is free, three adverts and a skew (the master-down
   * interval) are all that stand between a holder's power cut and the IP on its peer, so they are
   * short: 50 ms (VRRP v3 counts in centiseconds).
   */
  public static final int ADVERT_INT_MS = 50;

  /**
   * VRRP v3's Master_Down_Interval for a backup of this priority, in milliseconds: three adverts
   * plus a skew of (256 - priority) / 256 of an advert (RFC 5798, 6.1).
   */
  public static long masterDownMs(int priority) {
    long advert = ADVERT_INT_MS;
    return 3 * advert + (256 - Math.max(1, Math.min(255, priority))) * advert / 256;
  }

  /** {@code vrrp_script haproxy_alive}: how often, in seconds, the haproxy check runs. */
  public static final int SCRIPT_INTERVAL_S = 1;

  /** How long, in seconds, one run of the haproxy check may take. */
  public static final int SCRIPT_TIMEOUT_S = 1;

  /** Failed runs in a row after which the holder gives up the floating IP. */
  public static final int SCRIPT_FALL = 1;

  /** Good runs in a row after which a load balancer may hold the floating IP again. */
  public static final int SCRIPT_RISE = 2;

  /**
   * How long, in milliseconds, the VIP guard waits for haproxy's {@code /alive} each 0.1 s round.
   */
  public static final int GUARD_CHECK_TIMEOUT_MS = 300;

  private KeepalivedRenderer() {}

  /**
   * The VRRP priority of a load balancer: 150 for the first in the file, 10 less for each after it.
   * VRRP allows 1 to 254 for a backup, so the sixteenth load balancer and later get none that is
   * valid.
   */
  public static int priority(Topology t, Host lb) {
    return 150 - 10 * t.hostsWith(Role.LB).indexOf(lb);
  }

  /**
   * The script keepalived runs on every VRRP transition: it writes the state as a metric into the
   * host's {@link HostPaths#textfiles} directory, where a node exporter, if the host runs one,
   * reads it. The controller runs outside the lab's private network, where Prometheus cannot scrape
   * it, so the state reaches Prometheus through the load balancer's own exporter.
   */
  public static java.nio.file.Path notifyScript(HostPaths paths) {
    return paths.etc().resolve("vrrp-notify.sh");
  }

  /** The VRRP state file the notify script writes. */
  public static java.nio.file.Path vrrpStateFile(HostPaths paths) {
    return paths.textfiles().resolve("vrrp.prom");
  }

  /** The file the VIP guard writes and keepalived tracks: 0 may hold the IP, 1 may not. */
  public static java.nio.file.Path witnessFile(HostPaths paths) {
    return paths.run().resolve("witness.track");
  }

  /** The VIP guard's config, which {@link dev.webinfra.witness.VipGuard} reads (docs/vip.md). */
  public static java.nio.file.Path guardConfig(HostPaths paths) {
    return paths.etc().resolve("vip-guard.conf");
  }

  /** The VIP guard's config, for a load balancer of a design with a witness. */
  public static RenderedFile guard(Topology t, Host lb, HostPaths paths) {
    String url = WitnessUnit.url(t, lb).orElseThrow();
    String guard =
        Template.load("keepalived/vip-guard.conf")
            .render(
                Map.of(
                    "host", lb.name(),
                    "lab", t.lab(),
                    "witness", url,
                    "state_file", vrrpStateFile(paths).toString(),
                    "track_file", witnessFile(paths).toString(),
                    "alive_url", aliveUrl(t, lb),
                    "check_timeout_ms", Integer.toString(GUARD_CHECK_TIMEOUT_MS),
                    "check_fall", Integer.toString(GuardRound.FALL),
                    "vip", t.vip().orElseThrow().address().toString()));
    return new RenderedFile(guardConfig(paths), guard, "rw-r--r--");
  }

  // haproxy's monitor-uri on its stats frontend: answered by haproxy's event loop, so only while
  // haproxy runs and is not hung.
  private static String aliveUrl(Topology t, Host lb) {
    return "http://"
        + HaproxyRenderer.backAddress(t, lb)
        + ":"
        + HaproxyRenderer.STATS_PORT
        + HaproxyRenderer.ALIVE_PATH;
  }

  /** The files for a load balancer of a topology with a floating IP. */
  public static List<RenderedFile> render(Topology t, Host lb, HostPaths paths) {
    Vip vip =
        t.vip()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "keepalived: topology " + t.lab() + " has no vip"));
    HostPaths d = paths;
    List<Host> lbs = t.hostsWith(Role.LB);
    String peers =
        lbs.stream()
            .filter(o -> !o.equals(lb))
            .map(o -> "    " + o.address(vip.network()).orElseThrow())
            .collect(Collectors.joining("\n"));
    int prefix = t.network(vip.network()).orElseThrow().cidr().prefix();
    String checkScript = d.etc().resolve("haproxy-alive.sh").toString();
    boolean witness = WitnessUnit.host(t).isPresent();
    String witnessFile =
        witness
            ? "\n"
                + "# The witness's answer, written by the VIP guard: 1 holds this LB out of the IP"
                + " (FAULT).\n"
                + "# Set to 1 before every start (not on reload): an LB that comes back after a"
                + " power cut\n"
                + "# asks the witness before it may take the IP.\n"
                + "track_file witness {\n"
                + "  file \""
                + witnessFile(d)
                + "\"\n  weight 0\n  init_file 1\n}\n"
            : "";
    String witnessTrack = witness ? "  track_file {\n    witness\n  }\n" : "";
    String conf =
        Template.load("keepalived/keepalived.conf")
            .render(
                Template.vars(
                    "host", lb.name(),
                    "lab", t.lab(),
                    "check_script", checkScript,
                    "notify_script", notifyScript(d).toString(),
                    "interface", lb.ssh().map(s -> s.iface(vip.network())).orElse(vip.network()),
                    "router_id", Integer.toString(vip.routerId()),
                    "priority", Integer.toString(priority(t, lb)),
                    "self", lb.address(vip.network()).orElseThrow().toString(),
                    "peers",
                        peers.isEmpty()
                            ? "    # no peer: this floating IP has a single holder"
                            : peers,
                    "vip", vip.address() + "/" + prefix,
                    "advert_ms", Integer.toString(ADVERT_INT_MS),
                    "master_down_ms", Long.toString(masterDownMs(priority(t, lb))),
                    "advert_int",
                        java.math.BigDecimal.valueOf(ADVERT_INT_MS, 3)
                            .stripTrailingZeros()
                            .toPlainString(),
                    "script_interval", Integer.toString(SCRIPT_INTERVAL_S),
                    "script_timeout", Integer.toString(SCRIPT_TIMEOUT_S),
                    "script_fall", Integer.toString(SCRIPT_FALL),
                    "script_rise", Integer.toString(SCRIPT_RISE),
                    "witness_file", witnessFile,
                    "witness_track", witnessTrack));
    String check =
        Template.load("keepalived/haproxy-alive.sh")
            .render(
                Map.of(
                    "host",
                    lb.name(),
                    "lab",
                    t.lab(),
                    "run",
                    d.run().toString(),
                    "alive_address",
                    HaproxyRenderer.backAddress(t, lb).toString(),
                    "alive_port",
                    Integer.toString(HaproxyRenderer.STATS_PORT),
                    "alive_path",
                    HaproxyRenderer.ALIVE_PATH));
    String notify =
        Template.load("keepalived/vrrp-notify.sh")
            .render(
                Map.of(
                    "host", lb.name(),
                    "lab", t.lab(),
                    "vip", vip.address().toString(),
                    "textfile_dir", d.textfiles().toString(),
                    "release",
                        WitnessUnit.url(t, lb)
                            .map(
                                u ->
                                    "# Leaving MASTER: give the witness's lease back, so the other"
                                        + " LB need not wait for it to expire.\n"
                                        + "if [ \"$state\" != MASTER ]; then\n"
                                        + "  curl -s -o /dev/null --max-time 0.3 \""
                                        + u
                                        + "/release?host="
                                        + lb.name()
                                        + "\" || true\n"
                                        + "fi\n")
                            .orElse("")));
    return List.of(
        RenderedFile.config(d.etc().resolve("keepalived.conf"), conf),
        // keepalived's script security runs only scripts that no other user can change.
        new RenderedFile(d.etc().resolve("haproxy-alive.sh"), check, "rwxr-xr-x"),
        new RenderedFile(notifyScript(d), notify, "rwxr-xr-x"));
  }
}
