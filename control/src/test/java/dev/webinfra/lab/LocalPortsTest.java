package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.wait.Poll;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The loopback ports a forwarded dashboard takes here, and how its forward's failure reads. */
class LocalPortsTest {
  @Test
  void aFreePortIsTakenAsWantedAndAHeldOneIsNot() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = held.getLocalPort();
      assertThat(LocalPorts.freeOr(port)).as("held here").isNotEqualTo(port).isPositive();
      held.close();
      assertThat(LocalPorts.freeOr(port)).as("free again").isEqualTo(port);
    }
  }

  @Test
  void aForwardThatEndsAtOnceSaysWhatSshSaid() throws Exception {
    Process ssh =
        new ProcessBuilder(
                "sh", "-c", "echo 'bind [127.0.0.1]:8443: Address already in use' >&2; exit 255")
            .start();
    assertThatThrownBy(() -> LocalPorts.awaitListening(1, ssh, "mon", Poll.system()))
        .isInstanceOf(WebinfraException.class)
        .hasMessage(
            "host mon: the SSH forward to it ended (exit 255): bind [127.0.0.1]:8443: Address"
                + " already in use");
  }

  @Test
  void aListeningForwardIsAwaitedAndLeftRunning() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process running = new ProcessBuilder("sleep", "30").start();
      try {
        LocalPorts.awaitListening(listening.getLocalPort(), running, "mon", Poll.system());
        assertThat(running.isAlive()).isTrue();
      } finally {
        running.destroy();
      }
    }
  }
}
