package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Runs one task on several hosts at once, on virtual threads; the first failure is rethrown. */
final class InParallel {
  private InParallel() {}

  // Hosts of one tier start together: three servers take as long as one.
  static void run(String lab, List<Host> hosts, Consumer<Host> task) {
    if (hosts.size() <= 1) {
      hosts.forEach(task);
      return;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (Host h : hosts) {
        futures.add(pool.submit(() -> task.accept(h)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw WebinfraException.unexpectedState("lab " + lab + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw WebinfraException.unexpectedState("lab " + lab + ": interrupted", e);
        }
      }
    }
  }
}
