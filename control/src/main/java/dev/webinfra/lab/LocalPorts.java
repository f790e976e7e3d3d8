package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Ports on this machine's loopback, for what the operator reaches there (a forwarded dashboard).
 */
final class LocalPorts {
  private static final Duration LISTEN_WITHIN = Duration.ofSeconds(20);

  private LocalPorts() {}

  /** {@code wanted} if nothing listens on it on the loopback, else a port the system picks. */
  static int freeOr(int wanted) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket s = new ServerSocket(wanted, 1, loopback)) {
      return s.getLocalPort();
    } catch (IOException taken) {
      try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw WebinfraException.unexpectedState(
            "no free port on this machine's loopback: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Returns once something listens on {@code port} of the loopback; fails with what {@code process}
   * (the one meant to listen, an ssh forward to {@code host}) said if it ended first.
   */
  static void awaitListening(int port, Process process, String host, Poll poll) {
    boolean listening =
        poll.within(
            LISTEN_WITHIN, Duration.ofMillis(100), () -> !process.isAlive() || listens(port));
    if (!process.isAlive()) {
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": the SSH forward to it ended (exit "
              + process.exitValue()
              + ")"
              + said(process));
    }
    if (!listening) {
      process.destroy();
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": the SSH forward to it did not listen on 127.0.0.1:"
              + port
              + " within "
              + LISTEN_WITHIN.toSeconds()
              + " s");
    }
  }

  private static boolean listens(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  // The last line ssh printed, if any.
  private static String said(Process p) {
    try (InputStream err = p.getErrorStream()) {
      String text = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "" : ": " + text.lines().reduce((a, b) -> b).orElse("");
    } catch (IOException e) {
      return "";
    }
  }
}
