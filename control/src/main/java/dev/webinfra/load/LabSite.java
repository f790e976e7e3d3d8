package dev.webinfra.load;

import dev.webinfra.WebinfraException;
import dev.webinfra.database.Sql;
import dev.webinfra.host.ExecResult;
import dev.webinfra.lab.Lab;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import java.util.List;

/**
 * The lab as a {@link Site}: visitors run in its first client host, SQL goes through each database
 * host's own socket. The one place {@code load} touches the lab's API, so the lab can change
 * beneath it.
 */
public final class LabSite implements Site {
  private final Lab lab;
  private final String client;

  /** The site of a running lab; fails if its topology has no client host to load it from. */
  public LabSite(Lab lab) {
    this.lab = lab;
    this.client =
        lab.topology().hostsWith(Role.CLIENT).stream()
            .map(Host::name)
            .findFirst()
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "lab "
                            + lab.topology().lab()
                            + ": load runs from a host with role client, and the topology has"
                            + " none"));
  }

  @Override
  public String url() {
    return lab.siteUrl();
  }

  @Override
  public Process startVisitor(List<String> cmd) {
    return lab.driver().open(client, cmd);
  }

  @Override
  public dev.webinfra.host.SiteFabric.Java visitorJava() {
    return lab.java(client);
  }

  @Override
  public List<String> databases() {
    return lab.topology().hostsWith(Role.DB).stream().map(Host::name).toList();
  }

  @Override
  public List<String> query(String host, String sql) {
    ExecResult r = new Sql(lab.driver()).tryRun(host, sql);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState("host " + host + ": SQL failed: " + r.describe());
    }
    return r.stdout().lines().filter(l -> !l.isEmpty()).toList();
  }
}
