package dev.webinfra.cli;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.Lab;
import dev.webinfra.lab.Promotion;
import java.io.PrintWriter;
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
  @Command(
      name = "promote",
      description =
          "Make a replica the writable primary; refuses if that could lose acknowledged writes.")
  public static final class Promote implements Callable<Integer> {
    @Mixin LabOption lab;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Lab l = lab.open("db promote", out);
      new Promotion(
              l,
              LabLayout.of(l.topology().lab()),
              line -> {
                out.println(line);
                out.flush();
              })
          .promote(host);
      return 0;
    }
  }
}
