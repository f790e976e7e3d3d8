package dev.webinfra.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the application server: {@code java -jar webinfra-app.jar --config app.properties}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length != 2 || !args[0].equals("--config")) {
      System.err.println("webinfra-app: usage: java -jar webinfra-app.jar --config FILE");
      System.exit(2);
    }
    Path file = Path.of(args[1]);
    AppConfig config;
    try {
      config = AppConfig.load(file);
    } catch (AppConfig.Invalid e) {
      System.err.println("webinfra-app: " + e.getMessage());
      System.exit(2);
      return;
    }
    // After the config check, so a bad config prints its one line and nothing else.
    Logger log = LoggerFactory.getLogger(Main.class);
    AppServer app = new AppServer(config, Clock.systemUTC());
    try {
      app.start();
    } catch (Exception e) {
      log.error(
          "listen {}:{}: cannot start: {}",
          config.listenAddress(),
          config.listenPort(),
          Responses.describe(e));
      System.exit(1);
      return;
    }
    log.info(
        "started on {}:{} as {} for {}; writes to {}, reads from {}",
        config.listenAddress(),
        app.port(),
        app.host(),
        config.siteName(),
        Db.hosts(config.writeUrl()),
        config.readUrls().stream().map(Db::hosts).toList());
    // SIGTERM runs this: stop accepting, finish requests in flight, close the pools.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    app.close();
                    log.info("stopped");
                  } catch (RuntimeException e) {
                    log.warn("stop: {}", Responses.describe(e));
                  }
                },
                "shutdown"));
    watch(file, app, log);
  }

  // A promotion rewrites the config with the new primary; the app follows within 100 ms, without a
  // restart: that time is part of a failover's write-unavailability window, and a stat is cheap.
  private static void watch(Path file, AppServer app, Logger log) {
    Thread.ofVirtual()
        .name("config-watch")
        .start(
            () -> {
              FileTime seen = mtime(file);
              while (true) {
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
                FileTime now = mtime(file);
                if (now != null && !now.equals(seen)) {
                  seen = now;
                  try {
                    app.db().reconfigure(AppConfig.load(file));
                  } catch (RuntimeException e) {
                    log.warn(
                        "config {} changed but cannot be used, keeping the old one: {}",
                        file,
                        e.getMessage());
                  }
                }
              }
            });
  }

  private static FileTime mtime(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      // Mid-rewrite or gone: treat as unchanged and look again next time.
      return null;
    }
  }
}
