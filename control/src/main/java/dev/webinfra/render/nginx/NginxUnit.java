package dev.webinfra.render.nginx;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** nginx on every {@code web} host: static files itself, the rest proxied to the local app. */
public final class NginxUnit implements DaemonUnit {
  @Override
  public String name() {
    return "nginx";
  }

  @Override
  public List<String> packages() {
    return List.of("nginx-light");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.WEB);
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    String conf = p.etc().resolve("nginx.conf").toString();
    String errorLog = p.log().resolve("nginx-error.log").toString();
    boolean tls = t.tls().enabled() && t.tls().backend();
    DaemonSpec.Builder b =
        DaemonSpec.builder(
                host.name(),
                name(),
                List.of("nginx", "-c", conf, "-p", p.run() + "/", "-e", errorLog),
                p.log().resolve("nginx-stdout.log"))
            .files(NginxRenderer.render(t, host, p))
            .hostFile(HostFile.of(p.www(), HostFile.Source.APP_STATIC, "rwxr-xr-x"))
            .logs(
                p.log().resolve("nginx-error.log"),
                p.log().resolve("nginx-access.log"),
                p.log().resolve("nginx-static.log"))
            .beforeStart(
                Step.of(
                    "nginx config test",
                    "nginx",
                    "-t",
                    "-q",
                    "-c",
                    conf,
                    "-p",
                    p.run() + "/",
                    "-e",
                    errorLog))
            // HUP: the master re-reads its config and replaces its workers gracefully.
            .reload(Reload.signal("HUP"));
    if (tls) {
      b.hostFile(HostFile.of(NginxRenderer.keyFile(p), HostFile.Source.HOST_KEY, "rw-------"))
          .hostFile(
              HostFile.of(NginxRenderer.certFile(p), HostFile.Source.HOST_CERTIFICATE, "rw-r--r--"))
          .hostFile(HostFile.of(p.caFile(), HostFile.Source.CA_CERTIFICATE, "rw-r--r--"))
          // Any answer: the page behind nginx may still be starting.
          .readiness(
              Readiness.answers("https://" + host.primaryAddress() + "/", Optional.of(p.caFile())));
    } else {
      b.readiness(
          Readiness.answers(
              "http://" + host.primaryAddress() + ":" + host.settings().web().port() + "/",
              Optional.empty()));
    }
    return b.after("app").build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    if (!runsOn(t, host)) {
      return List.of();
    }
    List<Flow> out = new ArrayList<>();
    int port = NginxRenderer.port(t, host);
    if (t.hostsWith(Role.LB).isEmpty()) {
      for (Host c : t.hostsWith(Role.CLIENT)) {
        out.add(Flow.tcp(c.name(), host.name(), 80, "HTTP", Flow.Kind.SITE));
        if (t.tls().enabled()) {
          out.add(Flow.tcp(c.name(), host.name(), 443, "HTTPS", Flow.Kind.SITE));
        }
      }
    }
    for (Host lb : t.hostsWith(Role.LB)) {
      out.add(
          Flow.tcp(lb.name(), host.name(), port, "requests and health checks", Flow.Kind.BACKEND));
    }
    if (host.settings().monitoring().agent()) {
      // The app listens on loopback only: its /metrics is scraped through nginx.
      for (Host m : t.hostsWith(Role.MONITOR)) {
        if (!m.equals(host)) {
          out.add(Flow.tcp(m.name(), host.name(), port, "app metrics", Flow.Kind.MONITORING));
        }
      }
    }
    return out;
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    List<Listener> out = new java.util.ArrayList<>();
    if (NginxRenderer.redirectsHttp(t, host)) {
      out.add(Listener.tcp(name(), 80, DaemonUnit.allAddresses(host)));
    }
    out.addAll(
        List.of(
            Listener.tcp(name(), NginxRenderer.port(t, host), DaemonUnit.allAddresses(host)),
            Listener.tcp(
                name(),
                NginxRenderer.STATUS_PORT,
                java.util.Set.of(dev.webinfra.topology.Ipv4.parse("127.0.0.1").orElseThrow()))));
    return out;
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("(nginx)");
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(
        new GoldenCase("ha-cluster", "web1"),
        new GoldenCase("single-server", "web1"),
        new GoldenCase("secured-monitored", "web1"));
  }
}
