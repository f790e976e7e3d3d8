package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spare web servers ({@code spare: true}): listed with their addresses, run nothing until {@code
 * scale} brings them in, so the site's hosts leave them out; a spare that could not join the site
 * as one more of its web servers is refused at its place.
 */
class SpareTest {
  @TempDir Path dir;

  static final String SITE =
      """
      lab: spare
      domain: foobar.com
      networks:
        public: { cidr: 198.18.2.0/24 }
        private: { cidr: 198.18.3.0/24 }
      hosts:
        lb1:
          roles: [lb]
          networks: { public: 198.18.2.11, private: 198.18.3.11 }
        web1:
          roles: [web, app, db]
          networks: { private: 198.18.3.21 }
        web2:
          roles: [web, app, db]
          networks: { private: 198.18.3.22 }
        web3:
      %s
      database: %s
      """;

  static final String SPARE =
      """
      roles: [web, app, db]
      spare: true
      networks: { private: 198.18.3.23 }\
      """;

  static final String PRIMARY_REPLICA =
      "{ topology: primary-replica, primary: web1, replicas: [web2] }";

  Topology load(String web3, String database) throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, SITE.formatted(web3.indent(4).stripTrailing(), database));
    return TopologyLoader.load(file);
  }

  String error(String web3, String database) {
    return assertThatThrownBy(() -> load(web3, database))
        .isInstanceOf(WebinfraException.class)
        .actual()
        .getMessage();
  }

  @Test
  void aSpareIsListedApartFromTheHostsThatRun() throws Exception {
    Topology t = load(SPARE, PRIMARY_REPLICA);

    assertThat(t.hosts()).extracting(Host::name).containsExactly("lb1", "web1", "web2");
    assertThat(t.spares()).extracting(Host::name).containsExactly("web3");
    assertThat(t.spare("web3").orElseThrow().primaryAddress().toString()).isEqualTo("198.18.3.23");
    assertThat(t.database().replicas()).containsExactly("web2");
    assertThat(t.withSparesAsHosts().hosts())
        .extracting(Host::name)
        .containsExactly("lb1", "web1", "web2", "web3");
    assertThat(t.withSparesAsHosts().spares()).isEmpty();
  }

  @Test
  void spareFalseIsAnOrdinaryHost() throws Exception {
    Topology t =
        load(
            SPARE.replace("spare: true", "spare: false"),
            PRIMARY_REPLICA.replace("[web2]", "[web2, web3]"));

    assertThat(t.spares()).isEmpty();
    assertThat(t.host("web3")).isPresent();
  }

  @Test
  void aSpareThatCouldNotJoinAsAWebServerIsRefusedAtItsPlace() {
    assertThat(error(SPARE.replace("[web, app, db]", "[lb]"), PRIMARY_REPLICA))
        .contains(
            "site.yaml:18:12: hosts.web3.spare: a spare is a web server that scale adds: it needs"
                + " role web, and may also have app and db, not lb");
    assertThat(error(SPARE.replace("[web, app, db]", "[web, app]"), PRIMARY_REPLICA))
        .contains(
            "hosts.web3: host web3 is a spare with roles [web, app], but the web server web2 it"
                + " would join has [web, app, db]; give it the same roles");
    assertThat(error(SPARE.replace("spare: true", "spare: maybe"), PRIMARY_REPLICA))
        .contains("hosts.web3.spare: expected true or false, found 'maybe'");
    assertThat(error(SPARE, PRIMARY_REPLICA.replace("[web2]", "[web2, web3]")))
        .contains(
            "database.replicas[1]: host web3 is a spare, which runs only once scale adds it: the"
                + " database names only hosts that always run");
    assertThat(error(SPARE + "\nsettings: { web: { backup: true } }", PRIMARY_REPLICA))
        .contains("host web3 is a backup server (web.backup: true)");
  }

  @Test
  void aSpareWithRoleDbNeedsADatabaseThatTakesReplicas() throws Exception {
    Path file = dir.resolve("single.yaml");
    Files.writeString(
        file,
        """
        lab: spare
        domain: foobar.com
        networks:
          private: { cidr: 198.18.3.0/24 }
        hosts:
          web1:
            roles: [web, app, db]
            networks: { private: 198.18.3.21 }
          web2:
            roles: [web, app, db]
            spare: true
            networks: { private: 198.18.3.22 }
        """);
    assertThatThrownBy(() -> TopologyLoader.load(file))
        .hasMessageContaining(
            "host web2 is a spare with role db, which scale makes a replica, but the database"
                + " (single) takes none; use topology primary-replica or galera");
  }

  @Test
  void aSparesAddressIsTakenLikeAnyHosts() {
    assertThat(error(SPARE.replace("198.18.3.23", "198.18.3.22"), PRIMARY_REPLICA))
        .contains("address 198.18.3.22 is already taken by host web2");
  }
}
