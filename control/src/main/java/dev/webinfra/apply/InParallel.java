package dev.webinfra.apply;

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
public final class InParallel {
  private InParallel() {}

  // Hosts of one tier start together: three servers take as long as one.
  public static void run(String lab, List<Host> hosts, Consumer<Host> task) {
    each(lab, hosts, task);
  }

  /** Runs {@code task} for each of {@code items} at once, returning when all are done. */
  public static <T> void each(String lab, List<T> items, Consumer<T> task) {
    if (items.size() <= 1) {
      items.forEach(task);
      return;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> task.accept(item)));
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
