package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Consumer;

/** What {@code up} prints at the end: where the site is and how to reach it from here. */
final class UpSummary {
  private final Topology t;
  private final SiteLayout layout;
  private final Consumer<String> say;

  UpSummary(Topology t, SiteLayout layout, Consumer<String> say) {
    this.t = t;
    this.layout = layout;
    this.say = say;
  }

  void print(String siteUrl, Duration took) {
    String site = t.siteFqdns().get(0);
    boolean tls = t.tls().enabled();
    Path ca = layout.caCertificate();
    if (tls) {
      publishCa(ca);
    }
    // A site of servers is named on every verb; a lab is the one up.
    String on = t.onServers() ? " --lab " + t.lab() : "";
    say.accept("");
    say.accept(
        (t.onServers() ? "site " : "lab ")
            + t.lab()
            + " is up in "
            + String.format("%.1f", took.toMillis() / 1000.0)
            + " s: "
            + siteUrl
            + " -> "
            + t.siteAddress());
    t.hostsWith(Role.CLIENT).stream()
        .findFirst()
        .ifPresent(
            c ->
                say.accept(
                    "  from the client host:  ./webinfra exec"
                        + on
                        + " "
                        + c.name()
                        + " -- curl -s "
                        + siteUrl));
    boolean reachable =
        t.networks().stream()
            .anyMatch(n -> n.machineAddress().isPresent() && n.cidr().contains(t.siteAddress()));
    if (reachable) {
      say.accept(
          "  from this machine:     curl "
              + (tls ? "--cacert " + ca + " " : "")
              + "--resolve "
              + site
              + ":"
              + (tls ? 443 : 80)
              + ":"
              + t.siteAddress()
              + " "
              + siteUrl);
    }
    if (Lab.labCa(t)) {
      say.accept("  lab CA for a browser:  " + ca);
    }
    say.accept(
        "  state:                 ./webinfra status"
            + on
            + "    events: ./webinfra events"
            + on
            + "    logs: ./webinfra logs"
            + on
            + " HOST [COMPONENT]    take down: ./webinfra down"
            + on);
  }

  // The CA's certificate is public; its key stays in the 0700 secrets directory.
  private void publishCa(Path ca) {
    Path source = layout.caDir().resolve("ca.crt");
    try {
      if (Files.exists(source)) {
        Files.copy(source, ca, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState("lab " + t.lab() + ": cannot write " + ca, e);
    }
  }
}
