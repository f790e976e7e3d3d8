package dev.webinfra.cli;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.Lab;
import dev.webinfra.lab.Labs;
import dev.webinfra.lab.Promotion;
import dev.webinfra.setup.Privileges;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code db ...}: database operations. */
@Command(name = "db", description = "Database operations.", subcommands = DbCommand.Promote.class)
public final class DbCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code db promote HOST}. */
  @Command(name = "promote", description = "Make a replica the writable primary; refuses if that could lose acknowledged writes.")
  public static final class Promote implements Callable<Integer> {
    @Mixin LabOption lab;

    @Parameters(index = "0", paramLabel = "HOST") String host;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String name = lab.resolve();
      Privileges.requireRoot("db promote");
      PrintWriter out = spec.commandLine().getOut();
      Lab l = new Lab(Labs.topology(name), LabLayout.of(name), out, Clock.systemUTC());
      new Promotion(l, LabLayout.of(name), line -> {
        out.println(line);
        out.flush();
      }).promote(host);
      return 0;
    }
  }
}
