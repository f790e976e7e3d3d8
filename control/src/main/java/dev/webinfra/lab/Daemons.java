package dev.webinfra.lab;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.plan.Component;
import dev.webinfra.render.haproxy.HaproxyRenderer;
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
      case DNSMASQ ->
          new Daemon(
              host.name(),
              component,
              List.of(
                  "dnsmasq", "--keep-in-foreground", "--conf-file=" + etc.resolve("dnsmasq.conf")),
              d.log().resolve("dnsmasq-stdout.log"),
              List.of(d.log().resolve("dnsmasq.log")),
              pid,
              // Ready when it really answers the site's name with the site's address.
              List.of(
                  "sh",
                  "-c",
                  "dig +short +time=1 +tries=1 @"
                      + host.primaryAddress()
                      + " "
                      + t.siteFqdns().get(0)
                      + " | grep -qxF "
                      + t.siteAddress()));
      case MARIADB ->
          new Daemon(
              host.name(),
              component,
              List.of("mariadbd", "--defaults-file=" + etc.resolve("my.cnf")),
              d.log().resolve("mariadb").resolve("mariadbd-stdout.log"),
              List.of(d.log().resolve("mariadb").resolve("mariadb.err")),
              pid,
              t.database().members().contains(host.name())
                  // A Galera member is ready once it has joined and synced, not when it merely
                  // answers.
                  ? List.of(
                      "sh",
                      "-c",
                      "mariadb --defaults-file="
                          + etc.resolve("my.cnf")
                          + " --connect-timeout=1 -N -B -e \"SHOW STATUS LIKE 'wsrep_ready'\" |"
                          + " grep -q ON")
                  : List.of(
                      "mariadb-admin",
                      "--defaults-file=" + etc.resolve("my.cnf"),
                      "--connect-timeout=1",
                      "ping"));
      case GARBD ->
          new Daemon(
              host.name(),
              component,
              List.of(
                  "garbd",
                  "--address",
                  "gcomm://"
                      + t.database().members().stream()
                          .map(m -> t.host(m).orElseThrow().addressFor(host) + ":4567")
                          .collect(java.util.stream.Collectors.joining(",")),
                  "--group",
                  dev.webinfra.render.mariadb.MariadbRenderer.clusterName(t),
                  "--name",
                  host.name(),
                  "--options",
                  "gmcast.listen_addr=tcp://"
                      + host.primaryAddress()
                      + ":4567;evs.keepalive_period=PT0.5S;"
                      + "evs.suspect_timeout=PT1.5S;evs.inactive_timeout=PT3S;evs.install_timeout=PT3S"),
              d.log().resolve("garbd.log"),
              List.of(d.log().resolve("garbd.log")),
              pid,
              // Ready once it holds a connection to a member: its vote counts from then on.
              List.of(
                  "sh",
                  "-c",
                  "ss -Htn state established '( sport = :4567 or dport = :4567 )' | grep -q ."));
      case APP ->
          new Daemon(
              host.name(),
              component,
              List.of(
                  "setpriv",
                  "--reuid=" + HostSetup.APP_USER,
                  "--regid=" + HostSetup.APP_USER,
                  "--init-groups",
                  "--",
                  javaBinary(),
                  "-XX:+UseSerialGC",
                  "-Xms32m",
                  "-Xmx" + host.settings().app().heapMb() + "m",
                  "-XX:TieredStopAtLevel=1",
                  "-Xss512k",
                  "-XX:+ExitOnOutOfMemoryError",
                  "-Duser.home=/nonexistent",
                  "-jar",
                  appJar(layout, host.name()).toString(),
                  "--config",
                  etc.resolve("app.properties").toString()),
              d.log().resolve("app.log"),
              List.of(d.log().resolve("app.log")),
              pid,
              List.of(
                  "curl",
                  "-sf",
                  "-o",
                  "/dev/null",
                  "--max-time",
                  "1",
                  "http://127.0.0.1:" + host.settings().app().port() + "/health"));
      case NGINX ->
          new Daemon(
              host.name(),
              component,
              List.of(
                  "nginx",
                  "-c",
                  etc.resolve("nginx.conf").toString(),
                  "-p",
                  d.run() + "/",
                  "-e",
                  d.log().resolve("nginx-error.log").toString()),
              d.log().resolve("nginx-stdout.log"),
              List.of(
                  d.log().resolve("nginx-error.log"),
                  d.log().resolve("nginx-access.log"),
                  d.log().resolve("nginx-static.log")),
              pid,
              t.tls().enabled() && t.tls().backend()
                  ? List.of(
                      "curl",
                      "-s",
                      "-o",
                      "/dev/null",
                      "--max-time",
                      "1",
                      "--cacert",
                      HaproxyRenderer.caFile(layout).toString(),
                      "https://" + host.primaryAddress() + "/")
                  : List.of(
                      "curl",
                      "-s",
                      "-o",
                      "/dev/null",
                      "--max-time",
                      "1",
                      "http://"
                          + host.primaryAddress()
                          + ":"
                          + host.settings().web().port()
                          + "/"));
      case HAPROXY ->
          new Daemon(
              host.name(),
              component,
              // -W: master-worker, so a reload (USR2) replaces workers without dropping
              // connections; -db: stay in front.
              List.of("haproxy", "-W", "-db", "-f", etc.resolve("haproxy.cfg").toString()),
              d.log().resolve("haproxy.log"),
              List.of(d.log().resolve("haproxy.log")),
              pid,
              List.of(
                  "curl",
                  "-sf",
                  "-o",
                  "/dev/null",
                  "--max-time",
                  "1",
                  "http://"
                      + HaproxyRenderer.backAddress(t, host)
                      + ":"
                      + HaproxyRenderer.STATS_PORT
                      + "/stats"));
      case KEEPALIVED ->
          new Daemon(
              host.name(),
              component,
              List.of(
                  "keepalived",
                  "--dont-fork",
                  "--log-console",
                  "--log-detail",
                  "--vrrp",
                  "--use-file=" + etc.resolve("keepalived.conf"),
                  "--pid=" + d.run().resolve("keepalived.pid"),
                  "--vrrp_pid=" + d.run().resolve("keepalived-vrrp.pid")),
              d.log().resolve("keepalived.log"),
              List.of(d.log().resolve("keepalived.log")),
              pid,
              List.of(
                  "sh", "-c", "kill -0 \"$(cat " + d.run().resolve("keepalived-vrrp.pid") + ")\""));
    };
  }

  /** The java the app runs on: the one running webinfra, which the launcher chose (21 or newer). */
  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
