package dev.webinfra.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Samples which load balancer holds the floating IP, five times a second, and keeps each change:
 * the event log says what the controller did, not where keepalived moved the IP.
 */
final class VipWatch {
  private final ChaosLab lab;
  private final List<Accounting.VipChange> changes = new ArrayList<>();
  private volatile boolean running;
  private Thread thread;

  VipWatch(ChaosLab lab) {
    this.lab = lab;
  }

  void start() {
    if (lab.topology().vip().isEmpty()) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("chaos-vip").daemon().start(this::watch);
  }

  private void watch() {
    String last = "?";
    while (running) {
      String now;
      try {
        List<String> h = lab.vipHolders();
        now = h.isEmpty() ? null : String.join(" and ", h);
      } catch (RuntimeException e) {
        now = "?";
      }
      if (!Objects.equals(now, last) && !"?".equals(now)) {
        synchronized (changes) {
          changes.add(new Accounting.VipChange(lab.clock().instant(), now));
        }
        last = now;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  List<Accounting.VipChange> changes() {
    synchronized (changes) {
      return List.copyOf(changes);
    }
  }
}
