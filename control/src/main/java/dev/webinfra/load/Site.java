package dev.webinfra.load;

import java.util.List;

/**
 * What {@code load} needs of the infrastructure under test: the site's URL, a way to start a
 * process as a visitor (in the client host), and SQL on each database server for the readback.
 */
public interface Site {
  /** The site's URL as a visitor types it. */
  String url();

  /** Starts {@code cmd} where visitors are, with its stdin, stdout and stderr piped to us. */
  Process startVisitor(List<String> cmd);

  /**
   * The {@code java} executable and class path that run webinfra's code where visitors are, with
   * what they need installed there first.
   */
  dev.webinfra.host.SiteFabric.Java visitorJava();

  /** The database servers a write can end up on. */
  List<String> databases();

  /**
   * Runs a query on a database server: the rows, tab-separated columns as MariaDB's batch mode
   * prints them; throws a {@link dev.webinfra.WebinfraException} saying why it could not.
   */
  List<String> query(String host, String sql);
}
