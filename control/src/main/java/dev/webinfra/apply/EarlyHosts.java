package dev.webinfra.apply;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hosts whose remaining daemons start on their own, beside the rest of an apply: after a
 * full-cluster recovery, the Galera member that bootstrapped starts its app and web server at once
 * instead of after the others joined. An apply asks {@link #has} to skip such a host, and {@link
 * #await}s them all before it returns, so that start still returns once every daemon is started.
 */
public final class EarlyHosts {
  private final String lab;
  private final Map<String, Future<?>> started = new ConcurrentHashMap<>();
  private ExecutorService pool;

  public EarlyHosts(String lab) {
    this.lab = lab;
  }

  /** Runs {@code rest} (the host's remaining daemons, in order) on a thread of its own. */
  public synchronized void start(Host h, Runnable rest) {
    if (started.containsKey(h.name())) {
      throw new IllegalStateException("host " + h.name() + " already started early");
    }
    if (pool == null) {
      pool = Executors.newVirtualThreadPerTaskExecutor();
    }
    started.put(h.name(), pool.submit(rest));
  }

  /** Whether {@code h}'s remaining daemons are started early, so the apply skips it. */
  public boolean has(Host h) {
    return started.containsKey(h.name());
  }

  /** Waits for every early host; rethrows the first failure, as the apply's own would be. */
  public void await() {
    RuntimeException first = null;
    for (Map.Entry<String, Future<?>> e : List.copyOf(started.entrySet())) {
      try {
        e.getValue().get();
      } catch (ExecutionException x) {
        if (first == null) {
          first =
              x.getCause() instanceof RuntimeException re
                  ? re
                  : WebinfraException.unexpectedState(
                      "lab " + lab + ": host " + e.getKey() + ": " + x.getCause(), x.getCause());
        }
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw WebinfraException.unexpectedState("lab " + lab + ": interrupted", x);
      }
    }
    close();
    if (first != null) {
      throw first;
    }
  }

  /** As {@link #await}, for an apply that failed already: its own failure is the one reported. */
  public void awaitQuietly() {
    try {
      await();
    } catch (RuntimeException ignored) {
      // The apply's failure came first and is rethrown by the caller; this one is in the output.
    }
  }

  private synchronized void close() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  /** The hosts started early, for a test. */
  public List<String> hosts() {
    return new ArrayList<>(started.keySet());
  }
}
