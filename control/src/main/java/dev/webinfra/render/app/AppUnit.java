package dev.webinfra.render.app;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.RunAs;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Our application server, on every {@code app} host, as the unprivileged user {@link #USER}. */
public final class AppUnit implements DaemonUnit {
  /** The unprivileged user the app runs as. */
  public static final String USER = "webinfra";

  @Override
  public String name() {
    return "app";
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.APP);
  }

  /** Where the app's jar is deployed on a host. */
  public static Path jar(HostPaths p) {
    return p.app().resolve("webinfra-app.jar");
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    return DaemonSpec.builder(
            host.name(),
            name(),
            RunAs.command(
                USER,
                javaBinary(),
                "-XX:+UseSerialGC",
                "-Xms32m",
                "-Xmx" + host.settings().app().heapMb() + "m",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-XX:+ExitOnOutOfMemoryError",
                "-Duser.home=/nonexistent",
                "-jar",
                jar(p).toString(),
                "--config",
                p.etc().resolve("app.properties").toString()),
            p.log().resolve("app.log"))
        .files(AppRenderer.render(t, host, p))
        .hostFile(HostFile.secret(AppRenderer.passwordFile(p), "db-app", USER))
        .hostFile(HostFile.of(jar(p), HostFile.Source.APP_JAR, "rw-r--r--"))
        .after("mariadb")
        .readiness(Readiness.http("http://127.0.0.1:" + host.settings().app().port() + "/health"))
        .build();
  }

  /** The java the app runs on: the one running webinfra, which the launcher chose (21+). */
  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** It binds the loopback only: nginx, on the same host, is its one client. */
  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return List.of(
        Listener.tcp(
            name(), host.settings().app().port(), Set.of(Ipv4.parse("127.0.0.1").orElseThrow())));
  }

  /**
   * The app listens on loopback only; nginx proxies its {@code /metrics} like every other path, so
   * a web host's app is scraped at nginx's port, over TLS when nginx serves the backend with it.
   */
  @Override
  public List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
    return host.has(Role.WEB) && Agents.scrapedBy(t, host, monitor)
        ? List.of(
            ScrapeTarget.of(
                "app",
                host,
                host.addressFor(monitor).toString(),
                NginxRenderer.port(t, host),
                t.tls().enabled() && t.tls().backend()))
        : List.of();
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("(Java)");
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(
        new GoldenCase("three-servers", "web2"),
        new GoldenCase("ha-cluster", "web1"),
        new GoldenCase("single-server", "web1"),
        new GoldenCase("secured-monitored", "web1"));
  }
}
