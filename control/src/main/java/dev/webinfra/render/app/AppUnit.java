package dev.webinfra.render.app;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.AppProgram;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Settings;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Where a user's app's releases are kept on a host, with the link {@code current}. */
  public static Path releases(HostPaths p) {
    return p.app();
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    Settings.App app = host.settings().app();
    if (!app.guestbook()) {
      return userApp(t, host, p, app);
    }
    return DaemonSpec.builder(
            host.name(),
            name(),
            List.of(
                p.java().toString(),
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
        .user(USER)
        .files(AppRenderer.render(t, host, p))
        .hostFile(HostFile.secret(AppRenderer.passwordFile(p), "db-app", USER))
        .hostFile(HostFile.of(jar(p), HostFile.Source.APP_JAR, "rw-r--r--"))
        .after("mariadb")
        .readiness(
            Readiness.http(
                "http://127.0.0.1:"
                    + host.settings().app().port()
                    + host.settings().app().health()))
        .build();
  }

  /**
   * A user's app, from its current release: run in the release's directory as {@code app.user},
   * told where its databases are through the environment (see docs/app.md), ready when its health
   * path answers.
   */
  private DaemonSpec userApp(Topology t, Host host, HostPaths p, Settings.App app) {
    Path current = releases(p).resolve("current");
    List<String> cmd = new ArrayList<>();
    switch (app.program()) {
      case AppProgram.Jar j ->
          cmd.addAll(
              List.of(
                  p.java().toString(),
                  "-XX:+UseSerialGC",
                  "-Xms32m",
                  "-Xmx" + app.heapMb() + "m",
                  "-XX:+ExitOnOutOfMemoryError",
                  "-jar",
                  current.resolve(JAR_IN_RELEASE).toString()));
      case AppProgram.Command c -> cmd.addAll(c.argv(app.port()));
      case AppProgram.Guestbook g -> throw new IllegalStateException("the guestbook has its own");
    }
    return DaemonSpec.builder(host.name(), name(), cmd, p.log().resolve("app.log"))
        .user(app.user())
        .workdir(current)
        .environment(environment(t, host, p))
        .environment(app.env())
        .hostFile(HostFile.secret(AppRenderer.passwordFile(p), "db-app", app.user()))
        .hostFile(HostFile.of(releases(p), HostFile.Source.APP_RELEASE, "rwxr-xr-x"))
        .after("mariadb")
        .readiness(Readiness.http("http://127.0.0.1:" + app.port() + app.health()))
        .build();
  }

  /**
   * What a user's app is told, by name: the contract of docs/app.md. Never a password: the file
   * that holds it.
   */
  public static Map<String, String> environment(Topology t, Host host, HostPaths p) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT", Integer.toString(host.settings().app().port()));
    env.put("WEBINFRA_HOST", host.name());
    env.put("WEBINFRA_SITE", t.siteFqdns().get(0));
    env.put("WEBINFRA_DB_WRITE", String.join(",", DatabaseEndpoints.writeHosts(t, host)));
    env.put("WEBINFRA_DB_READ", String.join(",", DatabaseEndpoints.readHosts(t, host)));
    env.put("WEBINFRA_DB_WRITE_URL", DatabaseEndpoints.writeEndpoint(t, host));
    env.put("WEBINFRA_DB_READ_URL", DatabaseEndpoints.readEndpoint(t, host));
    env.put("WEBINFRA_DB_NAME", DatabaseEndpoints.NAME);
    env.put("WEBINFRA_DB_USER", DB_USER);
    env.put("WEBINFRA_DB_PASSWORD_FILE", AppRenderer.passwordFile(p).toString());
    return env;
  }

  /** The name a user's jar has inside its release directory, whatever it was called. */
  public static final String JAR_IN_RELEASE = "app.jar";

  /** The database account every app server uses. */
  public static final String DB_USER = "webinfra_app";

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
    // A user's app need not serve Prometheus' /metrics: nginx's and HAProxy's exporters watch it.
    return host.has(Role.WEB)
            && host.settings().app().guestbook()
            && Agents.scrapedBy(t, host, monitor)
        ? List.of(
            ScrapeTarget.of(
                "app",
                host,
                host.addressFor(monitor).toString(),
                NginxRenderer.port(t, host),
                t.tls().enabled() && t.tls().backend()))
        : List.of();
  }

  /** The row's first words, whatever app it names: "(Java)", "(gunicorn)" follow them. */
  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("application server");
  }

  /** The kind of app a host runs, for the diagram and check: {@code (Java)}, {@code (gunicorn)}. */
  public static String label(Host host) {
    AppProgram program = host.settings().app().program();
    return program instanceof AppProgram.Guestbook ? "(Java)" : "(" + program.kind() + ")";
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
