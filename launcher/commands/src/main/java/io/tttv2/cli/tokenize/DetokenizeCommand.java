package io.tttv2.cli.tokenize;

import io.tttv2.cli.UserError;
import io.tttv2.integration.tokenizers.TokenizerCommands;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tttv2 detokenize}: token ids back to text. */
@Command(name = "detokenize", description = "Decode token IDs with a tokenizer.json and print the text.")
public final class DetokenizeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A HuggingFace tokenizer.json.")
    Path tokenizer;

    @Option(names = "--skip-special", description = "Leave special tokens (BOS, EOS, <|im_start|> …) out of the text.")
    boolean skipSpecial;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Token ids.")
    List<Integer> ids;

    @Override
    public Integer call() {
        TokenizeCommand.requireFile(tokenizer);
        try {
            int[] values = ids.stream().mapToInt(Integer::intValue).toArray();
            spec.commandLine().getOut().println(TokenizerCommands.detokenize(tokenizer, values, skipSpecial));
        } catch (TokenizerException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
