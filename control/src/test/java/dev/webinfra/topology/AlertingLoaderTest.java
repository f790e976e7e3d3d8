package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** {@code monitoring.notify}, and the machine's address where Alertmanager notifies it. */
class AlertingLoaderTest {
  static final String BASE =
      """
      lab: lab1
      domain: foobar.com
      networks: { public: { cidr: 198.18.6.0/24 }, private: { cidr: 198.18.7.0/24 } }
      hosts:
        web1: { roles: [web], networks: { public: 198.18.6.2 } }
        mon: { roles: [monitor], networks: { private: 198.18.7.30 } }
      """;

  @Test
  void notifyListsWebhooksInFileOrder() {
    Topology t =
        TopologyLoader.parse(
            BASE
                + "monitoring: { notify: [http://198.18.7.40:8080/hook, https://chat.example/x]"
                + " }\n",
            "t.yaml");
    assertThat(t.alerting().webhooks())
        .containsExactly(
            URI.create("http://198.18.7.40:8080/hook"), URI.create("https://chat.example/x"));
    assertThat(TopologyLoader.parse(BASE, "t.yaml").alerting()).isEqualTo(Alerting.NONE);
  }

  @Test
  void aNotifyEntryThatIsNotAWebhookUrlIsALocatedError() {
    assertThatThrownBy(
            () -> TopologyLoader.parse(BASE + "monitoring: { notify: [ftp://x/y] }\n", "t.yaml"))
        .hasMessageContaining("t.yaml:7:")
        .hasMessageContaining("monitoring.notify[0]: 'ftp://x/y' is not a webhook URL");
    assertThatThrownBy(
            () -> TopologyLoader.parse(BASE + "monitoring: { notify: x, other: 1 }\n", "t.yaml"))
        .hasMessageContaining("monitoring");
  }

  @Test
  void theMachineGetsAnAddressOnTheMonitoringHostsNetwork() {
    Topology t = TopologyLoader.parse(BASE, "t.yaml");
    assertThat(t.network("private").orElseThrow().machineAddress())
        .as("the monitoring host's network: its last usable address")
        .map(Object::toString)
        .contains("198.18.7.254");
    assertThat(t.network("public").orElseThrow().machineAddress())
        .map(Object::toString)
        .contains("198.18.6.254");
  }

  @Test
  void aHostOnTheDefaultMachineAddressIsALocatedError() {
    String yaml = BASE.replace("198.18.7.30", "198.18.7.254");
    assertThatThrownBy(() -> TopologyLoader.parse(yaml, "t.yaml"))
        .hasMessageContaining("networks.private.machine_address")
        .hasMessageContaining("198.18.7.254, is host mon's");
  }
}
