package io.swarmshare.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code swarmshare completion}: prints a bash completion script (which zsh runs too, through
 * {@code bashcompinit}) for every command and option, generated from the same definitions as the
 * help, so it never drifts from the CLI.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a shell completion script for bash and zsh.",
        "Load it with: source <(swarmshare completion), or save it as /etc/bash_completion.d/swarmshare."
            + " In zsh, run 'autoload -U bashcompinit && bashcompinit' first."})
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.print(AutoComplete.bash("swarmshare", spec.root().commandLine()));
    out.flush();
    return Main.OK;
  }
}
