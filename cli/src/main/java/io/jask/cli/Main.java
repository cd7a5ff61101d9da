package io.jask.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/jask}: the command-line entry point. */
@Command(
    name = "jask",
    mixinStandardHelpOptions = true,
    version = "jask 0.1.0-SNAPSHOT",
    description = "Jask: parallel collections and a dynamic task scheduler for the JVM.",
    subcommands = {DemoCommand.class, SchedulerCommand.class, WorkerCommand.class})
public final class Main implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
