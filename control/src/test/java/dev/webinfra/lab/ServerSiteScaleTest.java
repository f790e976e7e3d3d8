package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scale} on a site of servers beyond its spares: no server can be made, so it refuses before
 * it touches anything (no server is reached, none of these exists), and says how one is listed.
 */
class ServerSiteScaleTest {
  @TempDir Path dir;

  @Test
  void scaleOnServersBeyondItsSparesSaysToListThemAndReachesNoServer() throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(
        file,
        """
        lab: srv
        domain: foobar.com
        networks:
          private: { cidr: 10.0.0.0/24 }
        ssh: { user: admin }
        hosts:
          lb1:
            roles: [lb]
            networks: { private: 10.0.0.11 }
            ssh: { address: 10.0.0.11 }
          web1:
            roles: [web, app, db]
            networks: { private: 10.0.0.21 }
            ssh: { address: 10.0.0.21 }
        database: { topology: single, primary: web1 }
        """);
    Topology t = TopologyLoader.load(file);
    try (LabDrivers.ServerSite site =
        LabDrivers.servers(
            t,
            new PrintWriter(new StringWriter()),
            Poll.system(),
            false,
            dir.resolve("none.jar"))) {
      Files.writeString(dir.resolve("app.jar"), "a jar");
      assertThatThrownBy(() -> site.lab().scale(2, dir.resolve("app.jar")))
          .isInstanceOf(WebinfraException.class)
          .hasMessage(
              "scale web=2: site srv has 1 web server and no spare; a site of servers scales onto"
                  + " the servers its topology lists: add each with its ssh: block and spare: true"
                  + " (allowed: web=1)");
    }
  }
}
