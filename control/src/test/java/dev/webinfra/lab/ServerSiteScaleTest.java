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
 * {@code scale} on a site of servers: it would make lab hosts, so it refuses before it touches
 * anything (no server is reached), and says how a web server is added there.
 */
class ServerSiteScaleTest {
  @TempDir Path dir;

  @Test
  void scaleOnServersSaysToAddTheServerToTheTopology() throws Exception {
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
      assertThatThrownBy(() -> site.lab().scale(2, dir.resolve("app.jar")))
          .isInstanceOf(WebinfraException.class)
          .hasMessage(
              "scale: site srv is of servers, and scale adds lab hosts: to add a web server, add it"
                  + " to the topology file with its ssh: block and run webinfra up");
    }
  }
}
