package dev.webinfra.plan;

import java.time.Duration;

/**
 * How often the lab's controller looks at the lab. It is part of the design, not of the controller
 * alone: the design check counts it in promotion times, and may not reach up to the controller.
 */
public final class ControllerPace {
  /** The controller's tick. */
  public static final Duration TICK = Duration.ofMillis(50);

  /**
   * The tick of a site of servers' controller, on its monitoring host: each look is an SSH command
   * to every server, so it looks less often than the lab's.
   */
  public static final Duration SERVER_TICK = Duration.ofSeconds(1);

  private ControllerPace() {}
}
