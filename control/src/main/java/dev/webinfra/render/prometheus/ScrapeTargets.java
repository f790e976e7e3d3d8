package dev.webinfra.render.prometheus;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one monitoring host scrapes: the targets every unit of the registry declares ({@link
 * DaemonUnit#scrapeTargets}) on every host it runs on. The {@code instance} label of every target
 * is the host's name, so alerts and graphs name hosts, not addresses.
 */
public final class ScrapeTargets {
  /**
   * The order the scrape config has always listed these jobs in; a job not listed here follows
   * them, in the registry's order. It orders the file and names nothing that must be scraped.
   */
  static final List<String> ORDER =
      List.of("prometheus", "node", "mysqld", "nginx", "haproxy", "app");

  private ScrapeTargets() {}

  /**
   * Every target of {@code monitor} among {@code units}' daemons, by job (in {@link #ORDER}), then
   * host in file order.
   */
  public static List<ScrapeTarget> of(Topology t, Host monitor, List<DaemonUnit> units) {
    List<ScrapeTarget> out = new ArrayList<>();
    for (DaemonUnit u : units) {
      for (Host h : t.hosts()) {
        if (u.runsOn(t, h)) {
          out.addAll(u.scrapeTargets(t, h, monitor));
        }
      }
    }
    List<String> jobs = new ArrayList<>(ORDER);
    out.stream()
        .map(ScrapeTarget::job)
        .distinct()
        .filter(j -> !ORDER.contains(j))
        .forEach(jobs::add);
    // A stable sort: within a job, the units' order, then the hosts' file order.
    out.sort(Comparator.comparingInt(tg -> jobs.indexOf(tg.job())));
    return List.copyOf(out);
  }
}
