package dev.webinfra.chaos;

import java.time.Duration;
import java.util.List;

/**
 * One fault as a scenario states it: a name, when it is injected (from the start of the load) and
 * for how long, its kind, and the fields its kind uses (the others are null or empty).
 *
 * @param host the host of a kill, freeze, power-cut or bandwidth fault; {@code @vip} is the load
 *     balancer holding the floating IP when the fault is injected
 * @param daemon the daemon a kill fault kills or a freeze fault freezes
 * @param sides the two sides of a partition, each a list of host or network names
 * @param link the network whose link a bandwidth fault caps
 * @param rate a bandwidth fault's rate as tc writes it ({@code 1mbit}, {@code 512kbit})
 * @param from the host whose connections a latency fault delays
 * @param to the host those connections go to
 * @param port the TCP port they go to
 * @param delay the delay added each way
 */
public record FaultSpec(
    String name,
    Duration at,
    Duration duration,
    Kind kind,
    String host,
    String daemon,
    List<List<String>> sides,
    String link,
    String rate,
    String from,
    String to,
    int port,
    Duration delay) {

  /** The host name that stands for the load balancer holding the floating IP at injection. */
  public static final String VIP_HOLDER = "@vip";

  /** Copies the sides. */
  public FaultSpec {
    sides = sides == null ? List.of() : sides.stream().map(List::copyOf).toList();
  }

  /** When the fault is undone, from the start of the load. */
  public Duration end() {
    return at.plus(duration);
  }
}
