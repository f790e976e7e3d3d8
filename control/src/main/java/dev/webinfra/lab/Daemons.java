package dev.webinfra.lab;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.plan.Component;
import dev.webinfra.setup.HostSetup;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.List;

/** The command line, logs and readiness probe of each component, from the model and the layout. */
public final class Daemons {
  private Daemons() {}

  /** Where the app's jar is deployed on a host. */
  public static Path appJar(LabLayout layout, String host) {
    return layout.host(host).root().resolve("app").resolve("webinfra-app.jar");
  }

  /** How {@code component} runs on {@code host}. */
  public static Daemon of(Topology t, Host host, Component component, LabLayout layout) {
    LabLayout.HostDirs d = layout.host(host.name());
    Path etc = d.etc();
    Path pid = d.run().resolve("wi-" + component.label() + ".pid");
    return switch (component) {
      case DNSMASQ -> new Daemon(host.name(), component,
          List.of("dnsmasq", "--keep-in-foreground", "--conf-file=" + etc.resolve("dnsmasq.conf")),
          d.log().resolve("dnsmasq-stdout.log"), List.of(d.log().resolve("dnsmasq.log")), pid,
          // Ready when it really answers the site's name with the site's address.
          List.of("sh", "-c", "dig +short +time=1 +tries=1 @" + host.primaryAddress() + " " + t.siteFqdns().get(0)
              + " | grep -qxF " + t.siteAddress()));
      case MARIADB -> new Daemon(host.name(), component,
          List.of("mariadbd", "--defaults-file=" + etc.resolve("my.cnf")),
          d.log().resolve("mariadb").resolve("mariadbd-stdout.log"), List.of(d.log().resolve("mariadb").resolve("mariadb.err")), pid,
          List.of("mariadb-admin", "--defaults-file=" + etc.resolve("my.cnf"), "--connect-timeout=1", "ping"));
      case APP -> new Daemon(host.name(), component,
          List.of("setpriv", "--reuid=" + HostSetup.APP_USER, "--regid=" + HostSetup.APP_USER, "--init-groups", "--",
              javaBinary(), "-XX:+UseSerialGC", "-Xms32m", "-Xmx" + host.settings().app().heapMb() + "m",
              "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-Duser.home=/nonexistent",
              "-jar", appJar(layout, host.name()).toString(), "--config", etc.resolve("app.properties").toString()),
          d.log().resolve("app.log"), List.of(d.log().resolve("app.log")), pid,
          List.of("curl", "-sf", "-o", "/dev/null", "--max-time", "1",
              "http://127.0.0.1:" + host.settings().app().port() + "/health"));
      case NGINX -> new Daemon(host.name(), component,
          List.of("nginx", "-c", etc.resolve("nginx.conf").toString(), "-p", d.run() + "/", "-e", d.log().resolve("nginx-error.log").toString()),
          d.log().resolve("nginx-stdout.log"),
          List.of(d.log().resolve("nginx-error.log"), d.log().resolve("nginx-access.log"), d.log().resolve("nginx-static.log")), pid,
          List.of("curl", "-s", "-o", "/dev/null", "--max-time", "1",
              "http://" + host.primaryAddress() + ":" + host.settings().web().port() + "/"));
    };
  }

  /** The java the app runs on: the one running webinfra, which the launcher chose (21 or newer). */
  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
