package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code webinfra} command: each verb is a thin subcommand that wires services together. */
@Command(
    name = "webinfra",
    mixinStandardHelpOptions = true,
    version = "webinfra 0.1.0",
    description =
        "Check, draw, bring up, keep up, watch and prove a highly-available web infrastructure.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      ExecCommand.class,
      LogsCommand.class,
      SetupCommand.class,
      StopCommand.class,
      StartCommand.class,
      DbCommand.class,
      ControllerCommand.class,
      CheckCommand.class,
      DiagramCommand.class,
      EventsCommand.class,
      LoadCommand.class,
      ChaosCommand.class,
      DashboardCommand.class,
      ReloadCommand.class,
      DeployCommand.class,
      ScaleCommand.class,
      TestbedCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit code, for tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, with the one error handler. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // Every verb and sub-verb answers --help (and -h), not only the top command.
    addHelp(cl);
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("webinfra: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return WebinfraException.INVALID_INPUT;
        });
    return cl;
  }

  private static void addHelp(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!sub.getCommandSpec().optionsMap().containsKey("--help")) {
        sub.getCommandSpec().mixinStandardHelpOptions(true);
      }
      addHelp(sub);
    }
  }

  // The one place errors become text and exit codes: one line per problem, no Java class names
  // and no stack trace unless WEBINFRA_DEBUG is set. A cause is shown only if it adds words.
  private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean debug = System.getenv("WEBINFRA_DEBUG") != null;
    String text = ex instanceof WebinfraException ? ex.getMessage() : "unexpected error";
    err.println("webinfra: " + dev.webinfra.topology.Shown.lines(String.valueOf(text)));
    for (Throwable c = ex.getCause(); c != null && !debug; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && !m.isBlank() && !String.valueOf(text).contains(m)) {
        err.println(
            "  caused by: " + dev.webinfra.topology.Shown.line(m.lines().findFirst().orElse(m)));
      }
    }
    if (!(ex instanceof WebinfraException) && ex.getMessage() != null && !debug) {
      err.println("  " + dev.webinfra.topology.Shown.line(ex.getMessage()));
    }
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ex instanceof WebinfraException we ? we.exitCode() : WebinfraException.UNEXPECTED_STATE;
  }
}
