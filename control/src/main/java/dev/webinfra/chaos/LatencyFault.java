package dev.webinfra.chaos;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Stop;
import dev.webinfra.host.ExecResult;
import dev.webinfra.topology.Host;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Delay one TCP link, the connections {@code from} opens to {@code to:port}. With netem (probed in
 * the host) a prio qdisc sends that traffic through a netem delay; without it, {@link LatencyProxy}
 * runs in the source host as user nobody, and an nftables DNAT steers the link's new connections to
 * it, except the proxy's own ({@code meta skuid}). Existing connections of the link are closed
 * ({@code ss -K}) so they reconnect through the proxy, as a client would.
 */
record LatencyFault(FaultSpec spec, int index) implements Fault {
  /** The user the proxy runs as, whose connections the DNAT leaves alone. */
  static final int PROXY_UID = 65534;

  /** The port the proxy of fault {@code index} listens on, in the source host. */
  static int proxyPort(int index) {
    return 17_000 + index;
  }

  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    Host from = lab.resolve(spec.from());
    Host to = lab.resolve(spec.to());
    String toAddr = to.addressFor(from).toString();
    String link =
        from.attachments().stream()
            .filter(a -> to.address(a.network()).isPresent())
            .findFirst()
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "host " + from.name() + ": shares no network with " + to.name()))
            .network();
    long ms = spec.delay().toMillis();
    if (hasNetem(lab, from.name())) {
      record.accept(new Undo("qdisc", from.name(), link));
      netem(lab, from.name(), link, toAddr, ms);
      return "netem +" + ms + " ms on " + from.name() + " -> " + toAddr + ":" + spec.port();
    }
    String listen = from.addressFor(to).toString();
    int port = proxyPort(index);
    Path dir = lab.driver().paths(from.name()).run().resolve("chaos");
    install(lab, from.name(), dir);
    Path log = lab.driver().paths(from.name()).log().resolve(PROXY + index + ".log");
    List<String> cmd =
        List.of(
            "setpriv",
            "--reuid=" + PROXY_UID,
            "--regid=" + PROXY_UID,
            "--clear-groups",
            lab.java(from.name()).executable(),
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-cp",
            dir.toString(),
            LatencyProxy.class.getName(),
            listen,
            Integer.toString(port),
            toAddr,
            Integer.toString(spec.port()),
            Long.toString(ms));
    // Recorded before they exist, so undo runs in the reverse order: the proxy dies while the DNAT
    // still translates its closing packets for its clients, then the DNAT goes, then any connection
    // still steered is closed so it reconnects directly.
    String table = "ip webinfra_chaos_" + index;
    record.accept(new Undo("sskill", from.name(), toAddr + ":" + spec.port()));
    record.accept(new Undo("nft", from.name(), table));
    DaemonSpec proxy =
        DaemonSpec.builder(from.name(), PROXY + index, cmd, log)
            .readiness(Readiness.listening(listen, port))
            // Nothing of it needs saving: it goes at once, as it came.
            .stop(new Stop("KILL", Duration.ZERO))
            .build();
    record.accept(new Undo("proxy", from.name(), Integer.toString(index)));
    lab.supervisor().start(proxy, Fingerprint.of(proxy, Map.of()), Duration.ofSeconds(15));
    lab.run(
        from.name(),
        "latency DNAT " + table,
        List.of("nft", "-f", "-"),
        dnat(table, toAddr, spec.port(), listen, port));
    // Connections opened before the DNAT are not steered: close them so they reconnect through it.
    closeConnections(lab, from.name(), toAddr + ":" + spec.port());
    return "proxy ("
        + lab.supervisor().instance(proxy).orElse("exited")
        + ") +"
        + ms
        + " ms each way on "
        + from.name()
        + " -> "
        + toAddr
        + ":"
        + spec.port();
  }

  private static final String PROXY = "chaos-proxy-";

  /**
   * Latency proxy {@code index} on {@code host}, as its supervisor knows it, to stop it: a stop
   * needs only its name and how it stops, not the command it was started with.
   */
  static DaemonSpec proxyToStop(ChaosLab lab, String host, int index) {
    return DaemonSpec.builder(
            host,
            PROXY + index,
            List.of(LatencyProxy.class.getName()),
            lab.driver().paths(host).log().resolve(PROXY + index + ".log"))
        .stop(new Stop("KILL", Duration.ZERO))
        .build();
  }

  /**
   * Closes the host's connections to {@code addrPort} ({@code ss -K}), so their owners reconnect.
   */
  static void closeConnections(ChaosLab lab, String host, String addrPort) {
    int colon = addrPort.lastIndexOf(':');
    lab.driver()
        .exec(
            host,
            List.of(
                "ss",
                "-K",
                "dst",
                addrPort.substring(0, colon),
                "dport",
                "=",
                ":" + addrPort.substring(colon + 1)),
            null,
            Duration.ofSeconds(10));
  }

  /** The DNAT: the link's new connections to the proxy, except the proxy's own upstream ones. */
  static String dnat(String table, String toAddr, int toPort, String listen, int port) {
    return "table "
        + table
        + " {\n"
        + "  chain output { type nat hook output priority -100; policy accept;\n"
        + "    ip daddr "
        + toAddr
        + " tcp dport "
        + toPort
        + " meta skuid != "
        + PROXY_UID
        + " dnat to "
        + listen
        + ":"
        + port
        + "; }\n"
        + "}\n";
  }

  private static boolean hasNetem(ChaosLab lab, String host) {
    ExecResult probe =
        lab.driver()
            .exec(
                host,
                List.of("tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"),
                null,
                Duration.ofSeconds(10));
    if (probe.ok()) {
      lab.driver()
          .exec(
              host,
              List.of("tc", "qdisc", "del", "dev", "lo", "root"),
              null,
              Duration.ofSeconds(10));
    }
    return probe.ok();
  }

  private void netem(ChaosLab lab, String host, String link, String toAddr, long ms) {
    lab.run(
        host,
        "prio qdisc",
        List.of("tc", "qdisc", "replace", "dev", link, "root", "handle", "1:", "prio"),
        null);
    lab.run(
        host,
        "netem",
        List.of(
            "tc", "qdisc", "add", "dev", link, "parent", "1:3", "handle", "30:", "netem", "delay",
            ms + "ms"),
        null);
    lab.run(
        host,
        "filter",
        List.of(
            "tc",
            "filter",
            "add",
            "dev",
            link,
            "protocol",
            "ip",
            "parent",
            "1:0",
            "prio",
            "3",
            "u32",
            "match",
            "ip",
            "dst",
            toAddr + "/32",
            "match",
            "ip",
            "dport",
            Integer.toString(spec.port()),
            "0xffff",
            "flowid",
            "1:3"),
        null);
  }

  // The proxy runs as nobody: its one class goes where nobody can read it, not the CLI's class
  // path.
  private static void install(ChaosLab lab, String host, Path dir) {
    String name = LatencyProxy.class.getName().replace('.', '/') + ".class";
    try (InputStream in = LatencyProxy.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the class path");
      }
      Path tmp = Files.createTempFile("webinfra-proxy-", ".class");
      Files.write(tmp, in.readAllBytes());
      Path target = dir.resolve(name);
      lab.driver().mkdirs(host, target.getParent(), null);
      lab.driver().copyFile(host, tmp, target, "rw-r--r--", null);
      Files.delete(tmp);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot install the latency proxy: " + e.getMessage(), e);
    }
  }
}
