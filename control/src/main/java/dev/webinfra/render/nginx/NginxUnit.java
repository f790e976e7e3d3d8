package dev.webinfra.render.nginx;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;

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
          .readiness(
              List.of(
                  "curl",
                  "-s",
                  "-o",
                  "/dev/null",
                  "--max-time",
                  "1",
                  "--cacert",
                  p.caFile().toString(),
                  "https://" + host.primaryAddress() + "/"));
    } else {
      b.readiness(
          List.of(
              "curl",
              "-s",
              "-o",
              "/dev/null",
              "--max-time",
              "1",
              "http://" + host.primaryAddress() + ":" + host.settings().web().port() + "/"));
    }
    return b.build();
  }
}
