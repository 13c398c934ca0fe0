package dev.paddock.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script: source <(paddock completion bash), or for zsh <(paddock completion zsh).")
final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", defaultValue = "bash")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "SHELL must be bash or zsh, not \"" + shell + "\"");
        }
        CommandLine root = spec.commandLine().getParent();
        String script = AutoComplete.bash("paddock", root); // picocli's script also runs under zsh's bashcompinit
        if (shell.equals("zsh")) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
