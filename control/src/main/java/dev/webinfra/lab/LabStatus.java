package dev.webinfra.lab;

import java.util.List;

/** The state of a whole lab, as {@code status --json} prints it. Later fields are added, never removed. */
public record LabStatus(String lab, Site site, List<HostStatus> hosts) {
  public LabStatus {
    hosts = List.copyOf(hosts);
  }

  /** Where the site is. */
  public record Site(List<String> names, String address, String url) {
    public Site {
      names = List.copyOf(names);
    }
  }

  /** Whether every host is up and every component running. */
  public boolean healthy() {
    return hosts.stream().allMatch(h -> h.up() && h.components().stream().allMatch(c -> c.state().equals("running")));
  }
}
